using System.Security.Cryptography;
using CallSwitch.Recording.Encryption;
using Serilog;

namespace CallSwitch.Recording.Vault;

/// <summary>
/// Where the recordings' master key comes from: the <see cref="EnvironmentVariable"/> when it is
/// set, otherwise a key file, created (random, owner-only) on first start. Only the key's
/// fingerprint is ever logged.
/// </summary>
public static class MasterKeySource
{
    /// <summary>The environment variable holding the master key (64 hex digits or base64 of 32 bytes).</summary>
    public const string EnvironmentVariable = "CALLSWITCH_MASTER_KEY";

    /// <summary>Loads the master key.</summary>
    /// <param name="environmentValue">The variable's value (null when unset).</param>
    /// <param name="keyFile">The key file used, or created, when the variable is unset.</param>
    /// <param name="log">Where to say which source was used.</param>
    /// <exception cref="FormatException">The variable or the file does not hold a key.</exception>
    public static MasterKey Load(string? environmentValue, string keyFile, ILogger log)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(keyFile);
        ArgumentNullException.ThrowIfNull(log);
        if (!string.IsNullOrWhiteSpace(environmentValue))
        {
            MasterKey fromEnvironment = MasterKey.Parse(environmentValue);
            log.Information("Recording master key from {Variable}: id {MasterKeyId}", EnvironmentVariable, fromEnvironment.Id);
            return fromEnvironment;
        }

        if (File.Exists(keyFile))
        {
            MasterKey fromFile = MasterKey.FromFile(keyFile);
            log.Information("Recording master key from {KeyFile}: id {MasterKeyId}", keyFile, fromFile.Id);
            return fromFile;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(keyFile))!);
        byte[] bytes = RandomNumberGenerator.GetBytes(MasterKey.KeyLength);
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var stream = new FileStream(keyFile, options))
            {
                stream.Write(System.Text.Encoding.ASCII.GetBytes(Convert.ToHexStringLower(bytes) + "\n"));
                stream.Flush(flushToDisk: true);
            }

            var created = new MasterKey(bytes);
            log.Warning("Recording master key file {KeyFile} created (owner-only): id {MasterKeyId}; back it up, recordings cannot be read without it", keyFile, created.Id);
            return created;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }
}
