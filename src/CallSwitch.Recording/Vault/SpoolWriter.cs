namespace CallSwitch.Recording.Vault;

/// <summary>
/// Writes the recordings' files of one vault on a thread of its own, so that the recorder crew
/// (<see cref="Capture.RecorderScheduler"/>) never waits on the disk: a recording's
/// <see cref="WriteBehindStream"/> copies what it is given (ciphertext: it sits under the
/// encryption) into pooled segments, queues them and returns; this thread writes the segments,
/// in the order they were queued, to each file. At a recording's end, once its last segment is
/// written, a second thread flushes the file to the disk (fsync) and then completes the
/// recording's close: an fsync can take seconds on a busy disk, and the other files' writes go
/// on meanwhile.
/// </summary>
/// <remarks>
/// <para>
/// Why: the 30-minute soak at 600 recorded calls (bench/notes/2026-12-07-memory.md) lost 1,534
/// packets in 18 recordings while the relay lost none: a write blocked by the kernel's
/// dirty-page throttling held the crew worker that stepped it, two such writes the whole crew,
/// and the taps' queues (5.12 s) overflowed. A stalled disk now stalls this thread only; the
/// recordings go on and their bytes wait here, within two caps.
/// </para>
/// <para>
/// Memory is bounded: the queued segments of one file (<see cref="FileCap"/>) and of the whole
/// vault (<see cref="TotalCap"/>). A writer that finds either cap reached waits for the disk (the
/// recording's step blocks, as it did on a slow write before); nothing is ever dropped. The
/// bytes a recording writes while it is stopped (its last frames, the final chunk) and the bytes
/// its metadata hold kept back do not wait: they are already in memory, bounded, and their
/// thread may be the thread pool's.
/// </para>
/// <para>
/// A write error (a full disk) fails that file only: its later segments are discarded and its
/// producer's next write, flush or close throws the error itself. The other files go on; a file
/// already closed is never touched again. The writing thread runs while some file is open and
/// ends with the last one; the syncing thread runs while a file waits for its fsync. Thread-safe.
/// </para>
/// </remarks>
internal sealed class SpoolWriter
{
    /// <summary>
    /// Bytes per queued segment: a recording writes one encrypted chunk per Ogg page (about a
    /// second of audio, ~6 KB), so most writes take one segment.
    /// </summary>
    public const int SegmentLength = 8 * 1024;

    /// <summary>
    /// Queued bytes one file may hold before its writer waits: 2 MiB, about five minutes of one
    /// recording's audio (~6 KB/s). A disk stall that long is a failing disk, not a busy one.
    /// </summary>
    public const long DefaultFileCap = 2 * 1024 * 1024;

    /// <summary>
    /// Queued bytes the whole vault may hold before every writer waits: 128 MiB, about 36 s of
    /// 600 recordings' audio (600 × ~6 KB/s, in 8 KiB segments). The soak's stalls lasted a few
    /// seconds; the cap keeps a dead disk from taking the switch's memory.
    /// </summary>
    public const long DefaultTotalCap = 128 * 1024 * 1024;

    /// <summary>How long the syncing thread waits for the next file before it ends.</summary>
    private static readonly TimeSpan SyncerIdle = TimeSpan.FromSeconds(1);

    /// <summary>Free segments kept for reuse (4 MiB): a stall's surplus goes back to the GC.</summary>
    private const int MaxFreeSegments = 512;

    // One monitor for the queue, the counters and both waits (producers for room, the thread for work).
    private readonly object _lock = new();
    private readonly Queue<Pending> _queue = new();
    private readonly Queue<WriteBehindStream> _syncs = new();
    private readonly Stack<byte[]> _free = new();
    private long _queuedBytes;
    private int _openFiles;
    private int _waitingProducers;
    private bool _threadWaiting;
    private bool _threadRunning;
    private bool _syncerRunning;
    private bool _syncerWaiting;

    /// <summary>Creates a writer with the given caps (the defaults in production; small ones in tests).</summary>
    public SpoolWriter(long fileCap = DefaultFileCap, long totalCap = DefaultTotalCap)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(fileCap, SegmentLength);
        ArgumentOutOfRangeException.ThrowIfLessThan(totalCap, fileCap);
        FileCap = fileCap;
        TotalCap = totalCap;
    }

    /// <summary>Queued bytes one file may hold before its writer waits.</summary>
    public long FileCap { get; }

    /// <summary>Queued bytes all files may hold before every writer waits.</summary>
    public long TotalCap { get; }

    /// <summary>Bytes queued now (whole segments), all files together.</summary>
    public long QueuedBytes
    {
        get
        {
            lock (_lock)
            {
                return _queuedBytes;
            }
        }
    }

    /// <summary>Producers waiting for room now.</summary>
    public int WaitingProducers
    {
        get
        {
            lock (_lock)
            {
                return _waitingProducers;
            }
        }
    }

    /// <summary>Starts writing behind <paramref name="file"/>, which this writer's thread alone touches until the stream's close has completed.</summary>
    public WriteBehindStream Open(Sha256CountingStream file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var stream = new WriteBehindStream(this, file);
        lock (_lock)
        {
            _openFiles++;
            if (!_threadRunning)
            {
                _threadRunning = true;
                new Thread(static state => ((SpoolWriter)state!).Run()) { IsBackground = true, Name = "spool writer" }.Start(this);
            }
        }

        return stream;
    }

    /// <summary>Copies <paramref name="bytes"/> into segments queued for <paramref name="file"/>, waiting for room first if asked and the file may still wait.</summary>
    /// <exception cref="Exception">The file's earlier write failed: that error itself.</exception>
    internal void Enqueue(WriteBehindStream file, ReadOnlySpan<byte> bytes, bool waitForRoom)
    {
        lock (_lock)
        {
            while (!bytes.IsEmpty)
            {
                file.ThrowIfFailed();
                if (waitForRoom && file.WaitsForRoom && (file.Queued >= FileCap || _queuedBytes >= TotalCap))
                {
                    _waitingProducers++;
                    Monitor.Wait(_lock);
                    _waitingProducers--;
                    continue;
                }

                byte[] segment = _free.Count > 0 ? _free.Pop() : new byte[SegmentLength];
                int count = Math.Min(bytes.Length, SegmentLength);
                bytes[..count].CopyTo(segment);
                _queue.Enqueue(new Pending(file, segment, count, FlushToDisk: false));
                file.Queued += SegmentLength;
                _queuedBytes += SegmentLength;
                bytes = bytes[count..];
                if (_threadWaiting)
                {
                    Monitor.PulseAll(_lock);
                }
            }
        }
    }

    /// <summary>Queues the end of <paramref name="file"/>: after its last segment, flushed to the disk if asked, then its close completes. Never waits.</summary>
    internal void EnqueueClose(WriteBehindStream file, bool flushToDisk)
    {
        lock (_lock)
        {
            _queue.Enqueue(new Pending(file, null, 0, flushToDisk));
            if (_threadWaiting)
            {
                Monitor.PulseAll(_lock);
            }
        }
    }

    /// <summary>Lets the producers waiting for room look again (a file stopped waiting, or failed).</summary>
    internal void WakeProducers()
    {
        lock (_lock)
        {
            Monitor.PulseAll(_lock);
        }
    }

    private void Run()
    {
        while (true)
        {
            Pending next;
            lock (_lock)
            {
                while (_queue.Count == 0)
                {
                    if (_openFiles == 0)
                    {
                        _threadRunning = false;
                        return;
                    }

                    _threadWaiting = true;
                    Monitor.Wait(_lock);
                    _threadWaiting = false;
                }

                next = _queue.Dequeue();
            }

            // The disk is touched outside the lock: producers queue meanwhile.
            if (next.Segment is { } segment)
            {
                next.File.WriteSegment(segment.AsSpan(0, next.Length));
            }

            bool synced = false;
            lock (_lock)
            {
                if (next.Segment is { } written)
                {
                    next.File.Queued -= SegmentLength;
                    _queuedBytes -= SegmentLength;
                    if (_free.Count < MaxFreeSegments)
                    {
                        _free.Push(written);
                    }
                }
                else
                {
                    // Every byte of the file is written: this thread is done with it.
                    _openFiles--;
                    if (next.FlushToDisk && next.File.Failure is null)
                    {
                        synced = true;
                        _syncs.Enqueue(next.File);
                        StartSyncerUnlocked();
                    }
                }

                if (_waitingProducers > 0 || _syncerWaiting)
                {
                    Monitor.PulseAll(_lock);
                }
            }

            if (next.Segment is null && !synced)
            {
                // Outside the lock; the close's continuations run on the thread pool, never here. A synced file's close completes after its fsync.
                next.File.CompleteClose();
            }
        }
    }

    private void StartSyncerUnlocked()
    {
        if (!_syncerRunning)
        {
            _syncerRunning = true;
            new Thread(static state => ((SpoolWriter)state!).Sync()) { IsBackground = true, Name = "spool syncer" }.Start(this);
        }
    }

    /// <summary>The syncing thread: fsyncs the files whose every byte is written, in turn, and completes their close.</summary>
    private void Sync()
    {
        while (true)
        {
            WriteBehindStream file;
            lock (_lock)
            {
                // A short grace before leaving: at a steady call rate the next close comes soon.
                while (_syncs.Count == 0)
                {
                    _syncerWaiting = true;
                    bool woken = Monitor.Wait(_lock, SyncerIdle);
                    _syncerWaiting = false;
                    if (!woken && _syncs.Count == 0)
                    {
                        _syncerRunning = false;
                        return;
                    }
                }

                file = _syncs.Dequeue();
            }

            file.FlushToDisk();
            file.CompleteClose();
        }
    }

    /// <summary>A segment of a file's bytes, or (no segment) the file's close.</summary>
    private readonly record struct Pending(WriteBehindStream File, byte[]? Segment, int Length, bool FlushToDisk);
}
