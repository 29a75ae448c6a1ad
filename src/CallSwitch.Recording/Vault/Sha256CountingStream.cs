using System.Security.Cryptography;

namespace CallSwitch.Recording.Vault;

/// <summary>
/// A write-through stream that hashes (SHA-256) and counts what passes to the file, so the
/// ciphertext's digest and size are known when the recording closes without reading it back.
/// </summary>
/// <remarks>
/// Single-threaded: the vault's <see cref="SpoolWriter"/> thread while the recording runs, then its
/// owner once the write-behind has closed. Owns and disposes the inner stream.
/// </remarks>
internal sealed class Sha256CountingStream(Stream inner) : WriteOnlyStream
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _written;
    private string? _final;

    public long BytesWritten => _written;

    public override long Length => _written;

    public override long Position
    {
        get => _written;
        set => throw new NotSupportedException();
    }

    /// <summary>The digest of everything written so far (lowercase hex); still readable after disposal.</summary>
    public string Sha256Hex()
    {
        if (_final is not null)
        {
            return _final;
        }

        Span<byte> digest = stackalloc byte[32];
        _hash.GetCurrentHash(digest);
        return Convert.ToHexStringLower(digest);
    }

    /// <summary>
    /// Cuts the file back to the bytes counted as written, removing what a failed write left
    /// half-done (disk full), so size and digest describe the file exactly. Never throws.
    /// </summary>
    public void TruncateToWritten()
    {
        try
        {
            if (inner.CanSeek && inner.Length > _written)
            {
                inner.SetLength(_written);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ObjectDisposedException or NotSupportedException)
        {
            // Best effort: the size and digest in the metadata then describe a prefix of the file.
        }
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        // The file first: a failed write must not be counted as written.
        inner.Write(buffer);
        _hash.AppendData(buffer);
        _written += buffer.Length;
    }

    public override void Flush() => inner.Flush();

    /// <summary>Flushes, and for a file makes its bytes durable (fsync) before returning: a recording's end.</summary>
    public void FlushToDisk()
    {
        if (inner is FileStream file)
        {
            file.Flush(flushToDisk: true);
        }
        else
        {
            inner.Flush();
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && _final is null)
        {
            _final = Sha256Hex();
            _hash.Dispose();
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
