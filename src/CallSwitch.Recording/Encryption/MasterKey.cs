using System.Security.Cryptography;

namespace CallSwitch.Recording.Encryption;

/// <summary>
/// The key that wraps every recording's data key (AES-256). Loaded from a key file or an
/// environment variable holding 32 bytes as 64 hex digits or base64. Its <see cref="Id"/> is a
/// fingerprint (first 8 bytes of SHA-256 of the key, hex), stored with each wrapped key so
/// rotation knows which master wrapped what without ever storing the key itself.
/// </summary>
/// <remarks>Immutable, thread-safe; clears its bytes on disposal.</remarks>
public sealed class MasterKey : IDisposable
{
    /// <summary>AES-256 key length.</summary>
    public const int KeyLength = 32;

    private readonly byte[] _key;

    /// <summary>Wraps raw key bytes (copied).</summary>
    public MasterKey(ReadOnlySpan<byte> key)
    {
        if (key.Length != KeyLength)
        {
            throw new ArgumentException($"A master key is {KeyLength} bytes.", nameof(key));
        }

        _key = key.ToArray();
        Id = Convert.ToHexStringLower(SHA256.HashData(_key).AsSpan(0, 8));
    }

    /// <summary>The key's fingerprint, safe to log and store.</summary>
    public string Id { get; }

    /// <summary>A new random master key (for setup and tests).</summary>
    public static MasterKey Generate() => new(RandomNumberGenerator.GetBytes(KeyLength));

    /// <summary>Parses 64 hex digits or base64 of 32 bytes (surrounding whitespace ignored).</summary>
    /// <exception cref="FormatException">Neither encoding of 32 bytes.</exception>
    public static MasterKey Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string trimmed = text.Trim();
        byte[]? bytes = null;
        try
        {
            if (trimmed.Length == KeyLength * 2 && trimmed.All(Uri.IsHexDigit))
            {
                bytes = Convert.FromHexString(trimmed);
            }
            else
            {
                var buffer = new byte[KeyLength + 3];
                if (Convert.TryFromBase64String(trimmed, buffer, out int written) && written == KeyLength)
                {
                    bytes = buffer[..KeyLength];
                }

                CryptographicOperations.ZeroMemory(buffer);
            }

            return bytes is null
                ? throw new FormatException("A master key is 32 bytes as 64 hex digits or base64.")
                : new MasterKey(bytes);
        }
        finally
        {
            if (bytes is not null)
            {
                CryptographicOperations.ZeroMemory(bytes);
            }
        }
    }

    /// <summary>Reads the key from a file (hex or base64 text).</summary>
    public static MasterKey FromFile(string path) => Parse(File.ReadAllText(path));

    /// <summary>Reads the key from environment variable <paramref name="name"/>.</summary>
    /// <exception cref="InvalidOperationException">The variable is not set.</exception>
    public static MasterKey FromEnvironment(string name) =>
        Parse(Environment.GetEnvironmentVariable(name) ?? throw new InvalidOperationException($"Environment variable {name} is not set."));

    /// <summary>
    /// Wraps a data key with AES-256-GCM (a fresh random nonce per wrap); the data key's id and
    /// this master's id are the associated data, so a wrapped key moved to another id fails.
    /// </summary>
    public WrappedKey Wrap(Guid keyId, ReadOnlySpan<byte> dataKey)
    {
        if (dataKey.Length != KeyLength)
        {
            throw new ArgumentException("A data key is 32 bytes.", nameof(dataKey));
        }

        byte[] nonce = RandomNumberGenerator.GetBytes(EncryptedFileHeader.NonceLength);
        var ciphertext = new byte[KeyLength];
        var tag = new byte[EncryptedRecordingWriter.TagLength];
        using var aes = new AesGcm(_key, tag.Length);
        aes.Encrypt(nonce, dataKey, ciphertext, tag, Aad(keyId));
        return new WrappedKey(Id, nonce, ciphertext, tag);
    }

    /// <summary>
    /// A key for another use derived from this one (HKDF-SHA-256, <paramref name="purpose"/> as the
    /// info): each use gets its own key, and none reveals the master key. The caller clears it.
    /// </summary>
    public byte[] DeriveKey(string purpose, int length = KeyLength)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(purpose);
        return HKDF.DeriveKey(HashAlgorithmName.SHA256, _key, length, salt: [], info: System.Text.Encoding.UTF8.GetBytes(purpose));
    }

    /// <summary>Unwraps a data key this master wrapped. The caller owns (and should clear) the result.</summary>
    /// <exception cref="RecordingIntegrityException">Wrong master, wrong id, or tampered.</exception>
    public byte[] Unwrap(Guid keyId, WrappedKey wrapped)
    {
        ArgumentNullException.ThrowIfNull(wrapped);
        if (wrapped.MasterKeyId != Id)
        {
            throw new RecordingIntegrityException($"Key {keyId} is wrapped by master {wrapped.MasterKeyId}, not {Id}.");
        }

        var dataKey = new byte[KeyLength];
        using var aes = new AesGcm(_key, wrapped.Tag.Length);
        try
        {
            aes.Decrypt(wrapped.Nonce, wrapped.Ciphertext, wrapped.Tag, dataKey, Aad(keyId));
        }
        catch (AuthenticationTagMismatchException e)
        {
            throw new RecordingIntegrityException($"Wrapped key {keyId} failed authentication.", e);
        }

        return dataKey;
    }

    /// <inheritdoc />
    public void Dispose() => CryptographicOperations.ZeroMemory(_key);

    private byte[] Aad(Guid keyId) => [.. "CallSwitch data key "u8, .. keyId.ToByteArray(), .. System.Text.Encoding.ASCII.GetBytes(Id)];
}
