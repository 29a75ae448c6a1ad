namespace CallSwitch.Calls.Sessions;

/// <summary>
/// RFC 3261 §13.3.1.4: over an unreliable transport the UAS core retransmits its 2xx to an
/// INVITE at T1, 2·T1, 4·T1 … capped at T2, until the ACK arrives, and gives up after 64·T1.
/// Runs on timer threads; <see cref="Stop"/> may be called from any thread.
/// </summary>
internal sealed class SuccessRetransmitter : IDisposable
{
    private readonly TimeProvider _time;
    private readonly TimeSpan _t2;
    private readonly Func<Task> _resend;
    private readonly Action _giveUp;
    private readonly DateTimeOffset _deadline;
    private readonly ITimer _timer;
    private TimeSpan _interval;
    private int _stopped;

    public SuccessRetransmitter(TimeProvider time, TimeSpan t1, TimeSpan t2, Func<Task> resend, Action giveUp)
    {
        _time = time;
        _t2 = t2;
        _resend = resend;
        _giveUp = giveUp;
        _interval = t1;
        _deadline = time.GetUtcNow() + (t1 * 64);
        _timer = time.CreateTimer(_ => OnTimer(), null, t1, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The ACK came (or the call ended): no more retransmissions.</summary>
    public void Stop()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 0)
        {
            _timer.Dispose();
        }
    }

    public void Dispose() => Stop();

    private void OnTimer()
    {
        if (Volatile.Read(ref _stopped) != 0)
        {
            return;
        }

        if (_time.GetUtcNow() >= _deadline)
        {
            Stop();
            _giveUp();
            return;
        }

        _ = _resend();
        _interval = _interval * 2 > _t2 ? _t2 : _interval * 2;
        _timer.Change(_interval, Timeout.InfiniteTimeSpan);
    }
}
