using System.Runtime.ExceptionServices;

namespace CallSwitch.Recording.Vault;

/// <summary>
/// The bottom of a recording's stream chain: hands each write to the vault's
/// <see cref="SpoolWriter"/> (copied, queued, written in order on the writer's thread to the
/// file under it) and returns, so the recorder crew never waits on the disk; it waits only when
/// the writer's caps are reached. See <see cref="SpoolWriter"/> for the why and the bounds.
/// </summary>
/// <remarks>
/// <para>
/// One producer at a time (the recording's pump on the crew, then its stopping thread; the
/// metadata hold's release is serialised with them by <see cref="HeldBackStream"/>'s lock).
/// <see cref="Flush"/> means "handed to the writer": a kill -9 loses what is still queued
/// (nothing while the disk keeps up; at most the caps during a stall), and crash repair reads
/// what reached the file as before, since the file is always a prefix of the recording's bytes.
/// </para>
/// <para>
/// A write error on the writer's thread is kept and thrown, itself, to the producer's next write,
/// flush or close (the recording then ends as a write failure, as when the file failed under it).
/// Does not own the file: its owner disposes it once <see cref="CloseAsync"/> has completed.
/// </para>
/// </remarks>
internal sealed class WriteBehindStream : WriteOnlyStream
{
    private readonly SpoolWriter _writer;
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ExceptionDispatchInfo? _failure;
    private bool _closeQueued;
    private volatile bool _waitsForRoom = true;

    internal WriteBehindStream(SpoolWriter writer, Sha256CountingStream file)
    {
        _writer = writer;
        File = file;
    }

    /// <summary>The file, hashed and counted: the writer's threads alone touch it (the writing one, then the syncing one) until <see cref="CloseAsync"/> has completed.</summary>
    public Sha256CountingStream File { get; }

    /// <summary>
    /// Runs on the writer's thread before the file's first byte (the recording's data key made
    /// durable: nothing encrypted with a key reaches the disk before the key does); its error
    /// fails the file like a write's. Set before the first write is queued.
    /// </summary>
    public Action? BeforeFirstWrite { get; set; }

    /// <summary>The write error that failed the file, if any.</summary>
    public Exception? Failure => Volatile.Read(ref _failure)?.SourceException;

    /// <summary>Whether writes still wait for room at the caps (until <see cref="StopWaitingForRoom"/>).</summary>
    public bool WaitsForRoom => _waitsForRoom;

    /// <summary>Bytes queued for this file (whole segments); under the writer's lock.</summary>
    internal long Queued { get; set; }

    /// <summary>Queues a copy of <paramref name="buffer"/>; waits while the caps are reached. Throws the writer's earlier error, if any.</summary>
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_closeQueued, this);
        _writer.Enqueue(this, buffer, waitForRoom: true);
    }

    /// <summary>Queues a copy of bytes already held in memory (the metadata hold's release): never waits for room.</summary>
    public void WriteHeld(ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_closeQueued, this);
        _writer.Enqueue(this, buffer, waitForRoom: false);
    }

    /// <summary>
    /// From now on writes never wait for room: the recording is stopping, its last bytes are
    /// bounded (the frames up to its end, the final chunk) and its stopping thread may be the
    /// thread pool's. Wakes a write waiting now. Any thread.
    /// </summary>
    public void StopWaitingForRoom()
    {
        _waitsForRoom = false;
        _writer.WakeProducers();
    }

    /// <summary>Everything queued is the writer's: nothing to do here but report its error, if any.</summary>
    public override void Flush() => ThrowIfFailed();

    /// <summary>
    /// Queues the file's end and completes once the writer has written everything queued before it
    /// and, if <paramref name="flushToDisk"/>, flushed the file to the disk (fsync). Faults with the
    /// write error, if any. Idempotent: a second call returns the same task.
    /// </summary>
    public Task CloseAsync(bool flushToDisk)
    {
        if (!_closeQueued)
        {
            _closeQueued = true;
            _waitsForRoom = false;
            _writer.EnqueueClose(this, flushToDisk);
        }

        return _closed.Task;
    }

    /// <summary>Writes one segment to the file unless it already failed. The writer's thread.</summary>
    internal void WriteSegment(ReadOnlySpan<byte> segment)
    {
        if (Failure is not null)
        {
            return;
        }

        try
        {
            if (BeforeFirstWrite is { } before)
            {
                BeforeFirstWrite = null;
                before();
            }

            File.Write(segment);
        }
#pragma warning disable CA1031 // Whatever the file throws fails this recording (its producer rethrows it); the writer goes on with the others.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Fail(e);
        }
    }

    /// <summary>Flushes the file to the disk (fsync) unless it failed; a failed file is not touched (its owner may have closed it). The syncing thread.</summary>
    internal void FlushToDisk()
    {
        if (Failure is not null)
        {
            return;
        }

        try
        {
            File.FlushToDisk();
        }
#pragma warning disable CA1031 // As a write: the recording's close faults with it.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Fail(e);
        }
    }

    /// <summary>Completes <see cref="CloseAsync"/>'s task. The writer's threads, outside its lock.</summary>
    internal void CompleteClose()
    {
        if (Failure is { } failure)
        {
            _closed.TrySetException(failure);
        }
        else
        {
            _closed.TrySetResult();
        }
    }

    /// <summary>Throws the write error, if any: the same exception, with the writer's stack.</summary>
    internal void ThrowIfFailed() => Volatile.Read(ref _failure)?.Throw();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            // Ends the file's turn on the writer (not flushed to disk: a normal end closed it already).
            _ = CloseAsync(flushToDisk: false);
        }

        base.Dispose(disposing);
    }

    private void Fail(Exception e)
    {
        Interlocked.CompareExchange(ref _failure, ExceptionDispatchInfo.Capture(e), null);
        _writer.WakeProducers();
    }
}
