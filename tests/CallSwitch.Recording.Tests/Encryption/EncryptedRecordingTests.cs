using System.Buffers.Binary;
using System.Security.Cryptography;
using CallSwitch.Recording.Encryption;

namespace CallSwitch.Recording.Tests.Encryption;

public class EncryptedRecordingTests
{
    private const int ChunkSize = 1024;
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);
    private static readonly Guid KeyId = Guid.NewGuid();

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(ChunkSize)]
    [InlineData(ChunkSize * 3)]
    [InlineData((ChunkSize * 5) + 17)]
    public void RoundTrips(int length)
    {
        byte[] plain = RandomNumberGenerator.GetBytes(length);
        byte[] file = Encrypt(plain);
        Assert.Equal(plain, Decrypt(file));
        Assert.False(file.AsSpan().IndexOf(plain.AsSpan(0, Math.Min(16, length))) >= 0 && length >= 16);
    }

    [Fact]
    public void SmallWritesWithTheDefaultChunkSizeMakeFullChunksOfThatSize()
    {
        // The writer's buffers start small and grow to a chunk: the chunks on disk are the same.
        byte[] plain = RandomNumberGenerator.GetBytes((2 * 65536) + 5000);
        using var output = new MemoryStream();
        using (var writer = new EncryptedRecordingWriter(output, Key, KeyId, leaveOpen: true))
        {
            for (int offset = 0; offset < plain.Length; offset += 173)
            {
                writer.Write(plain.AsSpan(offset, Math.Min(173, plain.Length - offset)));
            }
        }

        byte[] file = output.ToArray();
        Assert.Equal(EncryptedFileHeader.Length + (2 * RecordLength(65536)) + RecordLength(5000), file.Length);
        Assert.Equal(plain, Decrypt(file));
    }

    [Fact]
    public void FlushSealsShortChunksThatStillRead()
    {
        byte[] plain = RandomNumberGenerator.GetBytes(5000);
        using var output = new MemoryStream();
        using (var writer = new EncryptedRecordingWriter(output, Key, KeyId, ChunkSize, leaveOpen: true))
        {
            for (int offset = 0; offset < plain.Length; offset += 300)
            {
                writer.Write(plain.AsSpan(offset, Math.Min(300, plain.Length - offset)));
                writer.Flush();
            }

            Assert.Equal(17, writer.ChunksWritten);
            writer.Complete();
        }

        Assert.Equal(plain, Decrypt(output.ToArray()));
    }

    [Fact]
    public void HeaderNamesKeyAndChunkSize()
    {
        byte[] file = Encrypt(new byte[10]);
        var (header, _) = EncryptedFileHeader.Read(new MemoryStream(file));
        Assert.Equal(KeyId, header.KeyId);
        Assert.Equal(ChunkSize, header.ChunkSize);
        Assert.Equal("CSRECENC"u8.ToArray(), file[..8]);
    }

    [Fact]
    public void TruncationAtAChunkBoundaryIsDetected()
    {
        byte[] file = Encrypt(RandomNumberGenerator.GetBytes(ChunkSize * 3));
        int cut = EncryptedFileHeader.Length + (2 * RecordLength(ChunkSize)); // keep two full chunks
        var error = Assert.Throws<RecordingIntegrityException>(() => Decrypt(file[..cut]));
        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TruncationInsideAChunkIsDetected()
    {
        byte[] file = Encrypt(RandomNumberGenerator.GetBytes(ChunkSize * 3));
        Assert.Throws<RecordingIntegrityException>(() => Decrypt(file[..^5]));
    }

    [Fact]
    public void DroppingTheFinalChunkOfAFlushedFileIsDetected()
    {
        // Last chunk sealed non-final by Flush, then final (empty) by Complete: drop the final one.
        using var output = new MemoryStream();
        using (var writer = new EncryptedRecordingWriter(output, Key, KeyId, ChunkSize, leaveOpen: true))
        {
            writer.Write(new byte[100]);
            writer.Flush();
        }

        byte[] file = output.ToArray();
        Assert.Throws<RecordingIntegrityException>(() => Decrypt(file[..^RecordLength(0)]));
    }

    [Fact]
    public void SwappedChunksAreDetected()
    {
        byte[] file = Encrypt(RandomNumberGenerator.GetBytes(ChunkSize * 3));
        int record = RecordLength(ChunkSize);
        int first = EncryptedFileHeader.Length;
        byte[] swapped = (byte[])file.Clone();
        file.AsSpan(first, record).CopyTo(swapped.AsSpan(first + record));
        file.AsSpan(first + record, record).CopyTo(swapped.AsSpan(first));
        var error = Assert.Throws<RecordingIntegrityException>(() => Decrypt(swapped));
        Assert.Contains("chunk 0", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData(10)] // header: reserved field
    [InlineData(20)] // header: key id (the resolver below hands out the key anyway)
    [InlineData(40)] // header: base nonce
    [InlineData(EncryptedFileHeader.Length + 4)] // first chunk's ciphertext
    [InlineData(EncryptedFileHeader.Length + 4 + ChunkSize + 3)] // first chunk's tag
    [InlineData(-3)] // final chunk's tag
    public void FlippedBitsAreDetected(int offset)
    {
        byte[] file = Encrypt(RandomNumberGenerator.GetBytes((ChunkSize * 2) + 50));
        file[offset < 0 ? file.Length + offset : offset] ^= 0x10;
        Assert.ThrowsAny<CryptographicException>(() => Decrypt(file, anyKeyId: true));
    }

    [Fact]
    public void FlippingTheFinalFlagIsDetected()
    {
        byte[] file = Encrypt(RandomNumberGenerator.GetBytes(ChunkSize * 2));
        int field = EncryptedFileHeader.Length;
        uint value = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(field));
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(field), value | 0x8000_0000u);
        Assert.Throws<RecordingIntegrityException>(() => Decrypt(file));
    }

    [Fact]
    public void TheWrongKeyIsRefused()
    {
        byte[] file = Encrypt(RandomNumberGenerator.GetBytes(100));
        var input = new MemoryStream(file);
        using var reader = EncryptedRecordingReader.Open(input, _ => RandomNumberGenerator.GetBytes(32));
        Assert.Throws<RecordingIntegrityException>(() => reader.CopyTo(Stream.Null));
    }

    [Fact]
    public void NotARecordingIsRefused()
    {
        Assert.Throws<RecordingIntegrityException>(() => Decrypt(new byte[100]));
    }

    internal static byte[] Encrypt(byte[] plain)
    {
        using var output = new MemoryStream();
        using (var writer = new EncryptedRecordingWriter(output, Key, KeyId, ChunkSize, leaveOpen: true))
        {
            writer.Write(plain);
        }

        return output.ToArray();
    }

    private static byte[] Decrypt(byte[] file, bool anyKeyId = false)
    {
        using var reader = EncryptedRecordingReader.Open(
            new MemoryStream(file),
            id => id == KeyId || anyKeyId ? (byte[])Key.Clone() : throw new KeyNotFoundException());
        using var plain = new MemoryStream();
        reader.CopyTo(plain);
        return plain.ToArray();
    }

    private static int RecordLength(int plaintext) => 4 + plaintext + EncryptedRecordingWriter.TagLength;
}
