using System.Security.Cryptography;

namespace CallSwitch.Recording.Encryption;

/// <summary>A recording's plaintext data key and its id. Clears the key on disposal; keep it only while encrypting or decrypting.</summary>
public sealed class DataKey : IDisposable
{
    private readonly byte[] _key;

    internal DataKey(Guid id, byte[] key)
    {
        Id = id;
        _key = key;
    }

    /// <summary>The id stored in the file header and the key store.</summary>
    public Guid Id { get; }

    /// <summary>The 32 key bytes; valid until disposal.</summary>
    public ReadOnlySpan<byte> Key => _key;

    /// <inheritdoc />
    public void Dispose() => CryptographicOperations.ZeroMemory(_key);
}
