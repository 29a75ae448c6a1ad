namespace CallSwitch.Sip.Transactions;

/// <summary>
/// Ends transactions whose terminal wait runs out (Timers D, I, J, K, L and M, RFC 3261 §17 and
/// RFC 6026), with one timer per distinct wait instead of one per transaction.
/// </summary>
/// <remarks>
/// <para>
/// Why: at 300 call set-ups per second ~31,600 such timers were alive (Timers J, L and M last
/// 32 s), and the runtime's timer queue walked them all several times a second: 5.4 % of the
/// switch's CPU (bench/notes/2026-12-07-call-setup-profile.md). Every wait of one length ends
/// in the order it began, so a queue per length, with one timer set to its head, does the same
/// work in constant time per transaction.
/// </para>
/// <para>
/// A terminal wait only ever ends in <see cref="TransactionState.Terminated"/>, so a transaction
/// that ends earlier (a transport error) simply stays queued until its time and is then skipped:
/// ending twice is a no-op. Thread-safe; transactions are ended outside the lock, on the timer's
/// thread. A wait ends up to <c>slack</c> late (<see cref="SipTimerSettings.WaitSlack"/>): the
/// timer is set that much after the oldest wait's end and ends every wait due by then.
/// </para>
/// </remarks>
internal sealed class WaitExpiry
{
    private readonly TimeProvider _time;
    private readonly long _slack;
    private readonly Lock _gate = new();
    private readonly Dictionary<long, Lane> _lanes = [];

    /// <param name="time">The clock of the waits and their timers.</param>
    /// <param name="slack">How late a wait may end (<see cref="SipTimerSettings.WaitSlack"/>).</param>
    public WaitExpiry(TimeProvider time, TimeSpan slack)
    {
        _time = time;
        _slack = ToTimestamp(slack);
    }

    /// <summary>Transactions waiting (for tests and diagnostics).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                int count = 0;
                foreach (Lane lane in _lanes.Values)
                {
                    count += lane.Count;
                }

                return count;
            }
        }
    }

    /// <summary>Ends <paramref name="transaction"/> normally once <paramref name="wait"/> has passed.</summary>
    public void Add(ITransactionEntry transaction, TimeSpan wait)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(wait, TimeSpan.Zero);
        lock (_gate)
        {
            if (!_lanes.TryGetValue(wait.Ticks, out Lane? lane))
            {
                lane = new Lane(this, wait);
                _lanes.Add(wait.Ticks, lane);
            }

            lane.Enqueue(transaction, _time.GetTimestamp());
        }
    }

    private void Fire(Lane lane)
    {
        List<ITransactionEntry>? due;
        lock (_gate)
        {
            due = lane.TakeDue(_time.GetTimestamp());
        }

        if (due is null)
        {
            return;
        }

        foreach (ITransactionEntry transaction in due)
        {
            transaction.EndWait();
        }
    }

    /// <summary>The waits of one length, oldest first, and the one timer set to the oldest. Used under the owner's lock.</summary>
    private sealed class Lane
    {
        private readonly WaitExpiry _owner;
        private readonly long _length;
        private readonly Queue<(long Due, ITransactionEntry Transaction)> _queue = new();
        private readonly ITimer _timer;
        private bool _armed;

        public Lane(WaitExpiry owner, TimeSpan wait)
        {
            _owner = owner;
            _length = owner.ToTimestamp(wait);
            _timer = owner._time.CreateTimer(static s => ((Lane)s!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }

        public int Count => _queue.Count;

        public void Enqueue(ITransactionEntry transaction, long now)
        {
            _queue.Enqueue((now + _length, transaction));
            if (!_armed)
            {
                Arm(now);
            }
        }

        /// <summary>Dequeues every wait due by <paramref name="now"/> and sets the timer for the next.</summary>
        public List<ITransactionEntry>? TakeDue(long now)
        {
            List<ITransactionEntry>? due = null;
            while (_queue.TryPeek(out var head) && head.Due <= now)
            {
                _queue.Dequeue();
                (due ??= []).Add(head.Transaction);
            }

            _armed = false;
            if (_queue.Count > 0)
            {
                Arm(now);
            }

            return due;
        }

        private void Arm(long now)
        {
            // A timer may fire a little before the timestamp clock says it is due (their clocks
            // differ): it then finds nothing due and sets itself again for what is left.
            TimeSpan dueIn = _owner._time.GetElapsedTime(now, _queue.Peek().Due + _owner._slack);
            _timer.Change(dueIn > TimeSpan.Zero ? dueIn : TimeSpan.FromTicks(1), Timeout.InfiniteTimeSpan);
            _armed = true;
        }

        private void OnTimer() => _owner.Fire(this);
    }

    private long ToTimestamp(TimeSpan span) => (long)(span.Ticks * (double)_time.TimestampFrequency / TimeSpan.TicksPerSecond);
}
