namespace CallSwitch.Recording.Tests.Support;

/// <summary>
/// A recording's file under a disk that misbehaves: every write waits for <see cref="Gate"/> (a
/// disk that stalls), every flush for <see cref="FlushGate"/> (a slow fsync) and, past <see cref="RoomBytes"/>, writes what fits and throws ENOSPC's
/// IOException (a disk that fills). Records the threads that wrote, to show whose they were.
/// Passes everything else to the real file, which it owns.
/// </summary>
internal sealed class StallingFile(Stream inner) : Stream
{
    /// <summary>The message .NET gives ENOSPC on Linux.</summary>
    public const string DiskFull = "No space left on device";

    private readonly Lock _threadsLock = new();
    private readonly HashSet<string> _writerThreads = [];
    private long _written;
    private int _waiting;

    /// <summary>Null: writes go through at once; otherwise each write waits until it is set.</summary>
    public ManualResetEventSlim? Gate { get; init; }

    /// <summary>Null: flushes go through at once; otherwise each flush (an fsync, under the recorder) waits until it is set.</summary>
    public ManualResetEventSlim? FlushGate { get; init; }

    /// <summary>Bytes the disk takes before it is full; null: no limit.</summary>
    public long? RoomBytes { get; init; }

    /// <summary>Bytes that reached the file.</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>Whether a write is waiting at the gate now.</summary>
    public bool IsStalled => Volatile.Read(ref _waiting) != 0;

    /// <summary>The names of the threads that wrote ("" for an unnamed one).</summary>
    public IReadOnlyCollection<string> WriterThreads
    {
        get
        {
            lock (_threadsLock)
            {
                return [.. _writerThreads];
            }
        }
    }

    public override bool CanRead => false;

    public override bool CanSeek => inner.CanSeek;

    public override bool CanWrite => true;

    public override long Length => inner.Length;

    public override long Position
    {
        get => inner.Position;
        set => inner.Position = value;
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        lock (_threadsLock)
        {
            _writerThreads.Add(Thread.CurrentThread.Name ?? "");
        }

        if (Gate is { } gate)
        {
            Volatile.Write(ref _waiting, 1);
            gate.Wait();
            Volatile.Write(ref _waiting, 0);
        }

        if (RoomBytes is { } room && Written + buffer.Length > room)
        {
            int fits = (int)Math.Max(0, room - Written);
            inner.Write(buffer[..fits]);
            Interlocked.Add(ref _written, fits);
            throw new IOException(DiskFull);
        }

        inner.Write(buffer);
        Interlocked.Add(ref _written, buffer.Length);
    }

    public override void Flush()
    {
        FlushGate?.Wait();
        inner.Flush();
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

    public override void SetLength(long value) => inner.SetLength(value);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
