using CallSwitch.Media.Announcements;

namespace CallSwitch.Recording.Capture;

/// <summary>
/// Steps every running recording once per 20 ms tick on a fixed crew of threads, instead of one
/// timer task per recording on the thread pool: one <see cref="MediaClock"/> publishes a round (the
/// recordings as they are now) and wakes the workers, which take the round's recordings one by one
/// until none is left.
/// </summary>
/// <remarks>
/// <para>
/// Why: the profile of 300 recorded calls (bench/notes/2026-12-07-recorder-cost.md) had the
/// recorders' pumps on 15,000 timer callbacks and thread-pool work items a second, the pool's
/// dispatching and spinning on top of the encoding. A round costs one clock wake-up and one
/// semaphore release per worker whatever the number of recordings.
/// </para>
/// <para>
/// A slow recording (a disk that stalls one write) holds one worker only: the others take the rest
/// of the round and the next rounds, and a recording still inside its step when the next round
/// comes is skipped in that round (its next step emits every frame that came due meanwhile). With
/// the system's time the clock and the workers are threads of their own, woken by the kernel;
/// with any other provider (a fake clock in tests) the clock ticks on the provider's timers and the
/// workers are still threads of their own.
/// </para>
/// <para>
/// A round takes the newest recordings first. On a machine short of CPU a round can last seconds
/// (each step then emits seconds of frames, which is cheaper per frame): a recording that came
/// during a round is stepped as soon as that round ends, before any other is stepped again, so
/// its taps, filling since the answer, wait one round at most, as every other recording's do.
/// </para>
/// <para>
/// The crew (clock and workers) starts with the first recording and ends when the last one has
/// stopped, so an idle switch runs nothing of it. <see cref="Run"/>, the stops and
/// <see cref="Dispose"/> may be called from any thread.
/// </para>
/// </remarks>
public sealed class RecorderScheduler : IDisposable
{
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private ScheduledRecording[] _recordings = [];
    private Crew? _crew;
    private bool _disposed;

    /// <summary>Creates a scheduler; nothing runs until the first recording.</summary>
    /// <param name="time">The clock of the ticks (the recordings' own clock).</param>
    /// <param name="workers">Worker threads; the processor count (at least 2) by default.</param>
    public RecorderScheduler(TimeProvider time, int? workers = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        WorkerCount = workers ?? Math.Max(2, Environment.ProcessorCount);
        ArgumentOutOfRangeException.ThrowIfLessThan(WorkerCount, 1, nameof(workers));
    }

    /// <summary>Worker threads of a crew.</summary>
    public int WorkerCount { get; }

    /// <summary>Recordings being stepped now.</summary>
    public int Count => Volatile.Read(ref _recordings).Length;

    /// <summary>Whether a crew (clock and workers) is running: there are recordings.</summary>
    public bool IsRunning
    {
        get
        {
            lock (_gate)
            {
                return _crew is not null;
            }
        }
    }

    /// <summary>
    /// Steps <paramref name="pump"/> every tick (starting it unless its owner did) until
    /// <paramref name="stop"/> is cancelled or <see cref="RecordingPump.EndAt"/> was called, then
    /// stops it, at the end given to <see cref="RecordingPump.EndAt"/> if any: the same contract as
    /// <see cref="RecordingPump.RunAsync"/>.
    /// </summary>
    /// <returns>The recorded length; faults with the exception of a step that failed (a write error).</returns>
    public Task<TimeSpan> Run(RecordingPump pump, CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(pump);
        pump.EnsureStarted();
        var recording = new ScheduledRecording(pump, this);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            // First: stepped as soon as the round in progress ends (the remarks say why).
            _recordings = [recording, .. _recordings];
            _crew ??= Crew.Start(this);
        }

        recording.Registration = stop.Register(static state => ((ScheduledRecording)state!).RequestStop(), recording);
        return recording.Completion;
    }

    /// <summary>Stops every recording (each ends now) and the crew.</summary>
    public void Dispose()
    {
        ScheduledRecording[] left;
        lock (_gate)
        {
            _disposed = true;
            left = _recordings;
        }

        foreach (ScheduledRecording recording in left)
        {
            recording.RequestStop();
        }

        lock (_gate)
        {
            _crew?.Stop();
            _crew = null;
        }
    }

    /// <summary>Takes a finished recording out of the rounds; the crew ends with the last one. Any thread.</summary>
    internal void Remove(ScheduledRecording recording)
    {
        lock (_gate)
        {
            int index = Array.IndexOf(_recordings, recording);
            if (index < 0)
            {
                return;
            }

            _recordings = [.. _recordings.AsSpan(0, index), .. _recordings.AsSpan(index + 1)];
            if (_recordings.Length == 0)
            {
                _crew?.Stop();
                _crew = null;
            }
        }
    }

    /// <summary>One clock and its workers, from the first recording to the last.</summary>
    private sealed class Crew : IMediaClockSource
    {
        private readonly RecorderScheduler _owner;
        private readonly MediaClock _clock;
        private readonly SemaphoreSlim _work = new(0);
        private Round _round = new([]);
        private volatile bool _stopped;

        private Crew(RecorderScheduler owner)
        {
            _owner = owner;
            _clock = new MediaClock(owner._time);
        }

        public static Crew Start(RecorderScheduler owner)
        {
            var crew = new Crew(owner);
            for (int i = 0; i < owner.WorkerCount; i++)
            {
                new Thread(static state => ((Crew)state!).Work()) { IsBackground = true, Name = "recorder " + i.ToString(System.Globalization.CultureInfo.InvariantCulture) }.Start(crew);
            }

            crew._clock.Add(crew);
            crew._clock.Start();
            return crew;
        }

        /// <summary>Ends the clock and lets the workers leave. Under the owner's gate; never waits for a worker (it may be the caller).</summary>
        public void Stop()
        {
            _stopped = true;
            // From a tick (a recording stopped by its step) the clock's thread is this one: Dispose then does not wait for it.
            _clock.Dispose();
            _work.Release(_owner.WorkerCount);
        }

        /// <inheritdoc />
        public void OnTick(in MediaTick tick)
        {
            ScheduledRecording[] recordings = Volatile.Read(ref _owner._recordings);
            if (recordings.Length == 0 || _stopped)
            {
                return;
            }

            Volatile.Write(ref _round, new Round(recordings));
            // Wake only idle workers: a busy one takes what is left of the new round when it is back.
            int wake = _owner.WorkerCount - _work.CurrentCount;
            if (wake > 0)
            {
                _work.Release(wake);
            }
        }

        private void Work()
        {
            while (true)
            {
                _work.Wait();
                if (_stopped)
                {
                    return;
                }

                Round round = Volatile.Read(ref _round);
                int next;
                while ((next = Interlocked.Increment(ref round.Next) - 1) < round.Recordings.Length)
                {
                    round.Recordings[next].TryStep();
                }
            }
        }
    }

    /// <summary>The recordings of one tick and the index of the next one to take.</summary>
    private sealed class Round(ScheduledRecording[] recordings)
    {
        public readonly ScheduledRecording[] Recordings = recordings;
        public int Next;
    }
}
