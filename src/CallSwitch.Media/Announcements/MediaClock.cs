namespace CallSwitch.Media.Announcements;

/// <summary>
/// A 20 ms media tick calling every registered <see cref="IMediaClockSource"/> once per tick: on
/// a thread of its own with the system's time, on the <see cref="TimeProvider"/>'s timers with
/// any other (a fake clock in tests).
/// </summary>
/// <remarks>
/// <para>
/// Drift-free: tick n is due at start + n × period, measured on the provider's monotonic
/// timestamp, and each one-shot timer is armed for the next due time rather than "period after
/// the last tick", so timer latency never accumulates. Ticks are never delivered early.
/// </para>
/// <para>
/// When late (a stalled thread pool, a GC pause): the missed ticks are delivered back to back,
/// up to <see cref="MaxCatchUpTicks"/> of them (the most recent ones), so a short hiccup costs
/// no audio and the receiver's jitter buffer absorbs the burst. Older missed ticks are skipped
/// and counted in <see cref="SkippedTicks"/>: sending a long-stale burst would overflow jitter
/// buffers and only add delay. Skipped tick indexes are not delivered, so sources deriving RTP
/// timestamps from <see cref="MediaTick.Index"/> leave a gap in timestamps, which is what a
/// receiver expects after loss; an announcement simply resumes where it was (it is delayed,
/// not truncated).
/// </para>
/// <para>
/// Why a thread of its own: a tick due on the thread pool waits behind whatever else the pool
/// is doing (signalling, storage, a burst of recorder work), and a pool starved of threads adds
/// them at about one a second, so the ticks of every call stalled together, for up to a
/// second, whenever the process was busy. The clock thread sleeps until the next due time and
/// is woken by the kernel like any waiting thread, independent of the pool.
/// </para>
/// <para>
/// Threading: ticks run one at a time, on the clock thread (or the provider's timer threads);
/// sources are called in registration order. <see cref="Add"/>, <see cref="Remove"/>, <see cref="Stop"/> and
/// <see cref="Dispose"/> may be called from any thread, including from inside a tick; once
/// <see cref="Stop"/> has returned on another thread, no tick is running or will run. The tick
/// path allocates nothing (the source list is copy-on-write).
/// </para>
/// </remarks>
public sealed class MediaClock : IDisposable
{
    private readonly TimeProvider _timeProvider;
    private readonly Lock _tickGate = new();
    private readonly Lock _sourcesGate = new();
    private IMediaClockSource[] _sources = [];
    // No spinning before the wait: the clock sleeps ~20 ms at a time, and spinning (with
    // sched_yield) before each sleep was ~1 % of the switch's CPU at 200 set-ups per second.
    private readonly ManualResetEventSlim _wake = new(false, spinCount: 0);
    private ITimer? _timer;
    private Thread? _thread;
    private long _startTimestamp;
    private long _nextIndex = 1;
    private long _deliveredTicks;
    private long _skippedTicks;
    private bool _running;
    private bool _started;
    private bool _disposed;

    /// <summary>Creates a stopped clock.</summary>
    /// <param name="timeProvider">The time source (the system's, or a fake one in tests).</param>
    /// <param name="period">Tick period; 20 ms when null.</param>
    /// <param name="maxCatchUpTicks">Most ticks delivered back to back when late (at least 1).</param>
    public MediaClock(TimeProvider timeProvider, TimeSpan? period = null, int maxCatchUpTicks = 3)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCatchUpTicks, 1);
        Period = period ?? TimeSpan.FromMilliseconds(20);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Period, TimeSpan.Zero, nameof(period));
        _timeProvider = timeProvider;
        MaxCatchUpTicks = maxCatchUpTicks;
    }

    /// <summary>Raised (on the tick thread) when a source throws; the clock carries on.</summary>
    public event Action<IMediaClockSource, Exception>? SourceFailed;

    /// <summary>The tick period.</summary>
    public TimeSpan Period { get; }

    /// <summary>Most missed ticks delivered back to back when the timer fires late.</summary>
    public int MaxCatchUpTicks { get; }

    /// <summary>Ticks delivered so far.</summary>
    public long DeliveredTicks => Interlocked.Read(ref _deliveredTicks);

    /// <summary>Ticks skipped because the clock was too late to catch them up.</summary>
    public long SkippedTicks => Interlocked.Read(ref _skippedTicks);

    /// <summary>Registers a source; it is called from the next tick on.</summary>
    public void Add(IMediaClockSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        lock (_sourcesGate)
        {
            _sources = [.. _sources, source];
        }
    }

    /// <summary>Unregisters a source. A tick already running on another thread may still call it once.</summary>
    /// <returns>False when it was not registered.</returns>
    public bool Remove(IMediaClockSource source)
    {
        lock (_sourcesGate)
        {
            var index = Array.IndexOf(_sources, source);
            if (index < 0)
            {
                return false;
            }

            _sources = [.. _sources.AsSpan(0, index), .. _sources.AsSpan(index + 1)];
            return true;
        }
    }

    /// <summary>Starts ticking: the first tick is due one period from now. A clock starts once.</summary>
    /// <exception cref="InvalidOperationException">Already started.</exception>
    public void Start()
    {
        lock (_tickGate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_started)
            {
                throw new InvalidOperationException("The media clock has already been started.");
            }

            _started = true;
            _running = true;
            _startTimestamp = _timeProvider.GetTimestamp();
            if (ReferenceEquals(_timeProvider, TimeProvider.System))
            {
                _thread = new Thread(static state => ((MediaClock)state!).Run()) { IsBackground = true, Name = "media-clock" };
                _thread.Start(this);
            }
            else
            {
                _timer = _timeProvider.CreateTimer(static state => ((MediaClock)state!).OnTimer(), this, Period, Timeout.InfiniteTimeSpan);
            }
        }
    }

    /// <summary>Stops ticking; waits for a tick running on another thread to finish.</summary>
    public void Stop()
    {
        lock (_tickGate)
        {
            _running = false;
            _timer?.Dispose();
            _timer = null;
            _wake.Set();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Stop();
        _disposed = true;
        Thread? thread = _thread;

        // From inside a tick the clock thread is this one: it exits after the tick, the event stays to the GC.
        if (thread is null || (thread != Thread.CurrentThread && thread.Join(TimeSpan.FromSeconds(5))))
        {
            _wake.Dispose();
        }
    }

    private void OnTimer()
    {
        lock (_tickGate)
        {
            if (_running)
            {
                TimeSpan delay = DeliverDueTicks();
                _timer?.Change(delay, Timeout.InfiniteTimeSpan);
            }
        }
    }

    private void Run()
    {
        while (true)
        {
            TimeSpan delay;
            lock (_tickGate)
            {
                if (!_running)
                {
                    return;
                }

                delay = DeliverDueTicks();
            }

            if (delay > TimeSpan.Zero)
            {
                // Rounded up to the millisecond the wait counts in: waking early would spin until due.
                _wake.Wait((int)Math.Ceiling(delay.TotalMilliseconds));
            }
        }
    }

    /// <summary>Delivers the ticks whose time has come (the latest few when late). Under the tick gate.</summary>
    /// <returns>How long until the next tick is due (zero when already due).</returns>
    private TimeSpan DeliverDueTicks()
    {
        var elapsed = _timeProvider.GetElapsedTime(_startTimestamp);
        var due = elapsed.Ticks / Period.Ticks; // the latest tick whose time has come
        if (due >= _nextIndex)
        {
            var oldestToDeliver = due - MaxCatchUpTicks + 1;
            if (_nextIndex < oldestToDeliver)
            {
                Interlocked.Add(ref _skippedTicks, oldestToDeliver - _nextIndex);
                _nextIndex = oldestToDeliver;
            }

            while (_nextIndex <= due && _running)
            {
                var dueAt = Period * _nextIndex;
                Deliver(new MediaTick(_nextIndex, dueAt, elapsed - dueAt));
                _nextIndex++;
            }
        }

        // The next due time measured from the start, not from now: no drift.
        var delay = Period * _nextIndex - _timeProvider.GetElapsedTime(_startTimestamp);
        return delay > TimeSpan.Zero ? delay : TimeSpan.Zero;
    }

    private void Deliver(in MediaTick tick)
    {
        Interlocked.Increment(ref _deliveredTicks);
        var sources = Volatile.Read(ref _sources);
        foreach (var source in sources)
        {
            try
            {
                source.OnTick(tick);
            }
#pragma warning disable CA1031 // One failing source must not silence the others or stop the clock.
            catch (Exception e)
#pragma warning restore CA1031
            {
                SourceFailed?.Invoke(source, e);
            }
        }
    }
}
