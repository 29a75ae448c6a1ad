using System.Security.Cryptography;
using CallSwitch.Recording.Encryption;
using CallSwitch.Recording.Vault;
using CallSwitch.TestSupport;

namespace CallSwitch.InteropTests.Calls;

/// <summary>
/// A configuration file with a store and spool of its own (<see cref="ConfigFixture.WriteLocalConfig"/>)
/// and a master key file in its data folder, as production keeps it: what the switch, the CLI and
/// the retention sidecar all open. The caller deletes <see cref="Folder"/>.
/// </summary>
internal sealed record LocalStore(string Config, string Folder, string Data, string Spool)
{
    public static async Task<LocalStore> CreateAsync()
    {
        string config = ConfigFixture.WriteLocalConfig();
        string folder = Path.GetDirectoryName(config)!;
        string data = Path.Combine(folder, "data");
        Directory.CreateDirectory(data);
        await File.WriteAllTextAsync(Path.Combine(data, RecordingVault.MasterKeyFileName), Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(MasterKey.KeyLength)) + "\n");
        return new LocalStore(config, folder, data, Path.Combine(folder, "spool"));
    }
}
