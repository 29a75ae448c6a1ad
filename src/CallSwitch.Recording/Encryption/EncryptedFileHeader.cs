using System.Buffers.Binary;

namespace CallSwitch.Recording.Encryption;

/// <summary>
/// The header of an encrypted recording: magic "CSRECENC", format version, plaintext chunk
/// size, the id of the data key, and the base nonce the chunk nonces derive from. Its bytes
/// are part of every chunk's associated data, so a changed header fails authentication.
/// </summary>
/// <remarks>
/// Layout (little-endian): magic[8] | version u16 | reserved u16 | chunk size u32 |
/// key id[16] | base nonce[12] — 44 bytes. Each chunk follows as: u32 (bit 31 = final chunk,
/// bits 0–30 = plaintext length) | ciphertext | 16-byte GCM tag.
/// </remarks>
public sealed record EncryptedFileHeader(int ChunkSize, Guid KeyId, byte[] BaseNonce)
{
    /// <summary>Header length in bytes.</summary>
    public const int Length = 44;

    /// <summary>The format version this code writes and reads.</summary>
    public const ushort CurrentVersion = 1;

    /// <summary>AES-GCM nonce length (NIST SP 800-38D recommends 96 bits).</summary>
    public const int NonceLength = 12;

    /// <summary>Smallest chunk size accepted.</summary>
    public const int MinChunkSize = 1024;

    /// <summary>Largest chunk size accepted.</summary>
    public const int MaxChunkSize = 1 << 24;

    private static ReadOnlySpan<byte> Magic => "CSRECENC"u8;

    /// <summary>Serializes the header.</summary>
    public byte[] ToBytes()
    {
        Validate(ChunkSize, BaseNonce);
        var bytes = new byte[Length];
        Span<byte> span = bytes;
        Magic.CopyTo(span);
        BinaryPrimitives.WriteUInt16LittleEndian(span[8..], CurrentVersion);
        BinaryPrimitives.WriteUInt16LittleEndian(span[10..], 0);
        BinaryPrimitives.WriteInt32LittleEndian(span[12..], ChunkSize);
        KeyId.TryWriteBytes(span[16..32]);
        BaseNonce.CopyTo(span[32..]);
        return bytes;
    }

    /// <summary>Parses a header; throws <see cref="RecordingIntegrityException"/> when it is not one.</summary>
    public static EncryptedFileHeader Parse(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < Length || !bytes[..8].SequenceEqual(Magic))
        {
            throw new RecordingIntegrityException("Not an encrypted CallSwitch recording.");
        }

        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(bytes[8..]);
        if (version != CurrentVersion)
        {
            throw new RecordingIntegrityException($"Unsupported encrypted recording version {version}.");
        }

        int chunkSize = BinaryPrimitives.ReadInt32LittleEndian(bytes[12..]);
        byte[] nonce = bytes.Slice(32, NonceLength).ToArray();
        if (chunkSize is < MinChunkSize or > MaxChunkSize)
        {
            throw new RecordingIntegrityException($"Chunk size {chunkSize} is out of range.");
        }

        return new EncryptedFileHeader(chunkSize, new Guid(bytes[16..32]), nonce);
    }

    /// <summary>Reads and parses the header at the stream's current position.</summary>
    public static (EncryptedFileHeader Header, byte[] Bytes) Read(Stream input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var bytes = new byte[Length];
        input.ReadExactly(bytes);
        return (Parse(bytes), bytes);
    }

    /// <summary>
    /// The nonce of chunk <paramref name="index"/>: the base nonce with the chunk index
    /// (big-endian) XORed into its last eight bytes — unique per chunk under one data key.
    /// </summary>
    public void ChunkNonce(long index, Span<byte> nonce)
    {
        BaseNonce.CopyTo(nonce);
        ulong mixed = BinaryPrimitives.ReadUInt64BigEndian(nonce[4..]) ^ (ulong)index;
        BinaryPrimitives.WriteUInt64BigEndian(nonce[4..], mixed);
    }

    internal static void Validate(int chunkSize, byte[] baseNonce)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkSize, MinChunkSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(chunkSize, MaxChunkSize);
        ArgumentNullException.ThrowIfNull(baseNonce);
        if (baseNonce.Length != NonceLength)
        {
            throw new ArgumentException($"The base nonce is {NonceLength} bytes.", nameof(baseNonce));
        }
    }
}
