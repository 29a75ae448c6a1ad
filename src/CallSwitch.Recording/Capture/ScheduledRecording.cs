namespace CallSwitch.Recording.Capture;

/// <summary>
/// One recording in a <see cref="RecorderScheduler"/>: its pump, stepped by whichever worker takes
/// it, and the completion its owner awaits.
/// </summary>
/// <remarks>
/// One thread at a time owns the pump: the one that moved <c>_state</c> from idle to busy (a
/// compare-exchange, which also publishes what the previous owner wrote). A stop requested while a
/// worker steps it is carried out by that worker as soon as its step ends; otherwise by the
/// stopping thread itself, at once.
/// </remarks>
internal sealed class ScheduledRecording
{
    private const int Idle = 0;
    private const int Busy = 1;
    private const int Done = 2;
    private readonly RecordingPump _pump;
    private readonly RecorderScheduler _owner;
    private readonly TaskCompletionSource<TimeSpan> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _state;
    private int _stopRequested;

    public ScheduledRecording(RecordingPump pump, RecorderScheduler owner)
    {
        _pump = pump;
        _owner = owner;
    }

    /// <summary>The recorded length once stopped; faults with a failed step's exception.</summary>
    public Task<TimeSpan> Completion => _completion.Task;

    /// <summary>The stop token's registration, undone when the recording ends.</summary>
    public CancellationTokenRegistration Registration { get; set; }

    /// <summary>Steps the pump unless another thread is stepping it or it has ended. Worker threads.</summary>
    public void TryStep()
    {
        if (Interlocked.CompareExchange(ref _state, Busy, Idle) != Idle)
        {
            return;
        }

        if (Volatile.Read(ref _stopRequested) != 0 || _pump.HasEnd)
        {
            Finish();
            return;
        }

        try
        {
            _pump.Step();
        }
#pragma warning disable CA1031 // A failed write ends this recording (its owner reads the fault); the worker goes on with the others.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Volatile.Write(ref _state, Done);
            End();
            _completion.TrySetException(e);
            return;
        }

        Volatile.Write(ref _state, Idle);
        if (Volatile.Read(ref _stopRequested) != 0)
        {
            // Asked while this thread was stepping: the asker found it busy and left it to us.
            TryFinish();
        }
    }

    /// <summary>Asks the recording to stop: now on this thread, or by its worker right after its step. Any thread.</summary>
    public void RequestStop()
    {
        Volatile.Write(ref _stopRequested, 1);
        TryFinish();
    }

    private void TryFinish()
    {
        if (Interlocked.CompareExchange(ref _state, Busy, Idle) == Idle)
        {
            Finish();
        }
    }

    /// <summary>Stops the pump (at its end time if it has one) and completes. The owning thread.</summary>
    private void Finish()
    {
        Volatile.Write(ref _state, Done);
        End();
        try
        {
            _completion.TrySetResult(_pump.Stop(_pump.End));
        }
#pragma warning disable CA1031 // Handed to the owner through the completion, as RunAsync's task would.
        catch (Exception e)
#pragma warning restore CA1031
        {
            _completion.TrySetException(e);
        }
    }

    private void End()
    {
        _owner.Remove(this);
        // Not Dispose: from inside the token's own callback it would wait for itself.
        Registration.Unregister();
    }
}
