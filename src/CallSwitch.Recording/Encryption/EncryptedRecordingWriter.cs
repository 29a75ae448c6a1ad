using System.Buffers.Binary;
using System.Security.Cryptography;

namespace CallSwitch.Recording.Encryption;

/// <summary>
/// A write-only stream that encrypts a recording at rest: AES-256-GCM over chunks of at most
/// <see cref="EncryptedFileHeader.ChunkSize"/> plaintext bytes, each with its own nonce and
/// associated data (header, index, final flag). <see cref="Flush"/> seals the bytes buffered so
/// far as a short chunk, so what the Ogg writer flushes every second is on disk, authenticated.
/// <see cref="Complete"/> (or disposal) seals the final chunk.
/// </summary>
/// <remarks>
/// Single-threaded (the recorder's consumer thread). Copies what it is given; does not keep
/// the caller's buffers. Owns its copy of the data key and clears its buffers on disposal.
/// Disposes the output stream unless asked to leave it open.
/// </remarks>
public sealed class EncryptedRecordingWriter : Stream
{
    /// <summary>GCM tag length.</summary>
    public const int TagLength = 16;

    private const uint FinalFlag = 0x8000_0000u;

    private const int InitialBufferLength = 4096;

    private readonly Stream _output;
    private readonly bool _leaveOpen;
    private readonly AesGcm _aes;
    private readonly EncryptedFileHeader _header;
    private readonly byte[] _headerBytes;
    private readonly int _chunkSize;

    // Grown up to a chunk as bytes come (a short call's recording is a few KB: two 64 KB buffers
    // per recording were most of what a recorded call set-up allocated).
    private byte[] _plain;
    private byte[] _record;
    private readonly byte[] _nonce = new byte[EncryptedFileHeader.NonceLength];
    private readonly byte[] _aad = new byte[ChunkAad.Length];
    private int _buffered;
    private long _chunkIndex;
    private long _plaintextLength;
    private bool _completed;

    /// <summary>Writes the header and prepares to encrypt with <paramref name="dataKey"/> (32 bytes).</summary>
    /// <param name="output">Where the encrypted file goes.</param>
    /// <param name="dataKey">The recording's own AES-256 key; copied.</param>
    /// <param name="keyId">The data key's id, written in the header.</param>
    /// <param name="chunkSize">Plaintext bytes per full chunk (64 KiB by default).</param>
    /// <param name="leaveOpen">Keep <paramref name="output"/> open on disposal.</param>
    public EncryptedRecordingWriter(Stream output, ReadOnlySpan<byte> dataKey, Guid keyId, int chunkSize = 64 * 1024, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (dataKey.Length != 32)
        {
            throw new ArgumentException("The data key is 32 bytes (AES-256).", nameof(dataKey));
        }

        _output = output;
        _leaveOpen = leaveOpen;
        _header = new EncryptedFileHeader(chunkSize, keyId, RandomNumberGenerator.GetBytes(EncryptedFileHeader.NonceLength));
        _headerBytes = _header.ToBytes();
        _aes = new AesGcm(dataKey, TagLength);
        _chunkSize = chunkSize;
        _plain = new byte[Math.Min(chunkSize, InitialBufferLength)];
        _record = new byte[4 + _plain.Length + TagLength];
        _output.Write(_headerBytes);
    }

    /// <summary>The header written at the start of the file.</summary>
    public EncryptedFileHeader Header => _header;

    /// <summary>Chunks sealed so far.</summary>
    public long ChunksWritten => _chunkIndex;

    /// <inheritdoc />
    public override bool CanRead => false;

    /// <inheritdoc />
    public override bool CanSeek => false;

    /// <inheritdoc />
    public override bool CanWrite => !_completed;

    /// <inheritdoc />
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc />
    public override long Position
    {
        get => _plaintextLength;
        set => throw new NotSupportedException();
    }

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    /// <inheritdoc />
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        while (!buffer.IsEmpty)
        {
            if (_buffered == _chunkSize)
            {
                // A full chunk is sealed only once more data proves it is not the last one.
                Seal(final: false);
            }
            else if (_buffered == _plain.Length)
            {
                Grow();
            }

            int count = Math.Min(buffer.Length, _plain.Length - _buffered);
            buffer[..count].CopyTo(_plain.AsSpan(_buffered));
            _buffered += count;
            _plaintextLength += count;
            buffer = buffer[count..];
        }
    }

    /// <summary>Seals the buffered bytes as a (short) chunk and flushes the output: crash safety.</summary>
    public override void Flush()
    {
        if (!_completed && _buffered > 0)
        {
            Seal(final: false);
        }

        _output.Flush();
    }

    /// <summary>Seals the final chunk (possibly empty) and flushes. Further writes fail.</summary>
    public void Complete()
    {
        if (_completed)
        {
            return;
        }

        Seal(final: true);
        _output.Flush();
        _completed = true;
    }

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            try
            {
                Complete();
            }
            finally
            {
                _aes.Dispose();
                CryptographicOperations.ZeroMemory(_plain);
                if (!_leaveOpen)
                {
                    _output.Dispose();
                }
            }
        }

        base.Dispose(disposing);
    }

    private void Grow()
    {
        byte[] larger = new byte[Math.Min(_chunkSize, _plain.Length * 2)];
        _plain.AsSpan(0, _buffered).CopyTo(larger);

        // The plaintext is not left behind in memory (as at disposal).
        CryptographicOperations.ZeroMemory(_plain);
        _plain = larger;
        _record = new byte[4 + larger.Length + TagLength];
    }

    private void Seal(bool final)
    {
        _header.ChunkNonce(_chunkIndex, _nonce);
        ChunkAad.Write(_headerBytes, _chunkIndex, final, _aad);
        BinaryPrimitives.WriteUInt32LittleEndian(_record, (uint)_buffered | (final ? FinalFlag : 0));
        Span<byte> ciphertext = _record.AsSpan(4, _buffered);
        Span<byte> tag = _record.AsSpan(4 + _buffered, TagLength);
        _aes.Encrypt(_nonce, _plain.AsSpan(0, _buffered), ciphertext, tag, _aad);
        _output.Write(_record.AsSpan(0, 4 + _buffered + TagLength));
        _chunkIndex++;
        _buffered = 0;
    }
}
