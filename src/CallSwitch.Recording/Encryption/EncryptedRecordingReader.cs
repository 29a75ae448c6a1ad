using System.Buffers.Binary;
using System.Security.Cryptography;

namespace CallSwitch.Recording.Encryption;

/// <summary>
/// A forward-only, read-only stream that decrypts an encrypted recording chunk by chunk, so
/// playback can stream without holding the whole file. Every chunk is authenticated before any
/// of its bytes are returned; a tampered, reordered, or truncated file, or the wrong key, throws
/// <see cref="RecordingIntegrityException"/>.
/// </summary>
/// <remarks>
/// Single-threaded. Plaintext returned before a later chunk fails is authentic but the stream
/// as a whole is not: a consumer that must not act on partial data reads to the end first.
/// </remarks>
public sealed class EncryptedRecordingReader : Stream
{
    private const uint FinalFlag = 0x8000_0000u;

    private readonly Stream _input;
    private readonly bool _leaveOpen;
    private readonly AesGcm _aes;
    private readonly EncryptedFileHeader _header;
    private readonly byte[] _headerBytes;
    private readonly byte[] _plain;
    private readonly byte[] _cipher;
    private readonly byte[] _tag = new byte[EncryptedRecordingWriter.TagLength];
    private readonly byte[] _nonce = new byte[EncryptedFileHeader.NonceLength];
    private readonly byte[] _aad = new byte[ChunkAad.Length];
    private int _available;
    private int _offset;
    private long _chunkIndex;
    private long _position;
    private bool _finalSeen;

    /// <summary>Opens a file whose header was read by <see cref="EncryptedFileHeader.Read"/>.</summary>
    /// <param name="input">Positioned just after the header.</param>
    /// <param name="header">The parsed header.</param>
    /// <param name="headerBytes">The header's bytes, as read (they are authenticated with every chunk).</param>
    /// <param name="dataKey">The recording's data key (32 bytes); copied.</param>
    /// <param name="leaveOpen">Keep <paramref name="input"/> open on disposal.</param>
    public EncryptedRecordingReader(Stream input, EncryptedFileHeader header, byte[] headerBytes, ReadOnlySpan<byte> dataKey, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(headerBytes);
        if (dataKey.Length != 32)
        {
            throw new ArgumentException("The data key is 32 bytes (AES-256).", nameof(dataKey));
        }

        _input = input;
        _leaveOpen = leaveOpen;
        _header = header;
        _headerBytes = headerBytes;
        _aes = new AesGcm(dataKey, EncryptedRecordingWriter.TagLength);
        _plain = new byte[header.ChunkSize];
        _cipher = new byte[header.ChunkSize];
    }

    /// <summary>The file's header.</summary>
    public EncryptedFileHeader Header => _header;

    /// <inheritdoc />
    public override bool CanRead => true;

    /// <inheritdoc />
    public override bool CanSeek => false;

    /// <inheritdoc />
    public override bool CanWrite => false;

    /// <inheritdoc />
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc />
    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    /// <summary>Reads the header from <paramref name="input"/> and opens it with the key <paramref name="resolveKey"/> returns for the header's key id.</summary>
    public static EncryptedRecordingReader Open(Stream input, Func<Guid, byte[]> resolveKey, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(resolveKey);
        var (header, bytes) = EncryptedFileHeader.Read(input);
        byte[] key = resolveKey(header.KeyId);
        try
        {
            return new EncryptedRecordingReader(input, header, bytes, key, leaveOpen);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <inheritdoc />
    public override int Read(Span<byte> buffer)
    {
        while (_offset == _available)
        {
            if (_finalSeen || buffer.IsEmpty)
            {
                return 0;
            }

            ReadChunk();
        }

        int count = Math.Min(buffer.Length, _available - _offset);
        _plain.AsSpan(_offset, count).CopyTo(buffer);
        _offset += count;
        _position += count;
        return count;
    }

    /// <inheritdoc />
    public override void Flush()
    {
    }

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _aes.Dispose();
            CryptographicOperations.ZeroMemory(_plain);
            if (!_leaveOpen)
            {
                _input.Dispose();
            }
        }

        base.Dispose(disposing);
    }

    private void ReadChunk()
    {
        Span<byte> lengthField = stackalloc byte[4];
        int got = _input.ReadAtLeast(lengthField, 4, throwOnEndOfStream: false);
        if (got < 4)
        {
            throw new RecordingIntegrityException($"The recording is truncated: chunk {_chunkIndex} missing and no final chunk seen.");
        }

        uint field = BinaryPrimitives.ReadUInt32LittleEndian(lengthField);
        bool final = (field & FinalFlag) != 0;
        int length = (int)(field & ~FinalFlag);
        if (length > _header.ChunkSize)
        {
            throw new RecordingIntegrityException($"Chunk {_chunkIndex} claims {length} bytes, more than the chunk size.");
        }

        if (_input.ReadAtLeast(_cipher.AsSpan(0, length), length, throwOnEndOfStream: false) < length ||
            _input.ReadAtLeast(_tag, _tag.Length, throwOnEndOfStream: false) < _tag.Length)
        {
            throw new RecordingIntegrityException($"The recording is truncated inside chunk {_chunkIndex}.");
        }

        _header.ChunkNonce(_chunkIndex, _nonce);
        ChunkAad.Write(_headerBytes, _chunkIndex, final, _aad);
        try
        {
            _aes.Decrypt(_nonce, _cipher.AsSpan(0, length), _tag, _plain.AsSpan(0, length), _aad);
        }
        catch (AuthenticationTagMismatchException e)
        {
            throw new RecordingIntegrityException($"Chunk {_chunkIndex} failed authentication (tampered, reordered, or wrong key).", e);
        }

        if (final && _input.ReadByte() >= 0)
        {
            throw new RecordingIntegrityException("Data follows the final chunk.");
        }

        _chunkIndex++;
        _available = length;
        _offset = 0;
        _finalSeen = final;
    }
}
