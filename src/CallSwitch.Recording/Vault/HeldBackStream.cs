namespace CallSwitch.Recording.Vault;

/// <summary>
/// A write-through stream that first keeps what it is given in memory, until <see cref="Release"/>:
/// then writes the kept bytes, in order, and passes every later write straight on. The recorder
/// puts it in front of the spool file so that a recording's bytes reach the disk only once its
/// metadata row is committed, while the timeline and the encoder go on at their own pace.
/// </summary>
/// <remarks>
/// The recorder's consumer thread writes; any one other thread may release. A write error during
/// the release is kept and thrown to the next writer (the consumer), so the recorder sees it as its
/// own. The inner stream is the file's write-behind: the release hands it the held bytes without
/// waiting for room (they are in memory already, and the releasing thread is the thread pool's).
/// Owns and disposes the inner stream.
/// </remarks>
internal sealed class HeldBackStream(WriteBehindStream inner) : WriteOnlyStream
{
    private readonly Lock _lock = new();
    private MemoryStream? _held = new();
    private Exception? _failure;

    /// <summary>Whether bytes are still being held back.</summary>
    public bool IsHolding
    {
        get
        {
            lock (_lock)
            {
                return _held is not null;
            }
        }
    }

    /// <summary>Writes what was held and stops holding. Idempotent; throws the write error, if any (also later, to writers).</summary>
    public void Release()
    {
        lock (_lock)
        {
            ThrowIfFailed();
            if (_held is not { } held)
            {
                return;
            }

            _held = null;
            try
            {
                inner.WriteHeld(held.GetBuffer().AsSpan(0, (int)held.Length));
                inner.Flush();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ObjectDisposedException)
            {
                _failure = e;
                throw;
            }
        }
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        lock (_lock)
        {
            ThrowIfFailed();
            if (_held is { } held)
            {
                held.Write(buffer);
                return;
            }

            inner.Write(buffer);
        }
    }

    public override void Flush()
    {
        lock (_lock)
        {
            ThrowIfFailed();
            if (_held is null)
            {
                inner.Flush();
            }
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private void ThrowIfFailed()
    {
        if (_failure is not null)
        {
            throw new IOException("Writing the held-back recording bytes failed: " + _failure.Message, _failure);
        }
    }
}
