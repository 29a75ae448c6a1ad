namespace CallSwitch.Calls.Sessions;

/// <summary>
/// Follows what happened to a call (rung, answered, connected, hold, ended) and derives its
/// <see cref="CallPhase"/>; each new phase but the end is announced (the registry reports the end on removal).
/// </summary>
/// <remarks>
/// Written from the call's signalling lock and from the notice's task; a reader on any thread
/// gets phase and answer time from the same instant (<see cref="Current"/> is swapped whole).
/// </remarks>
internal sealed class CallProgressTracker
{
    private readonly Lock _lock = new();
    private readonly bool _hasNotice;
    private readonly Action _changed;
    private CallProgress _current = new(CallPhase.Dialling, null);
    private Func<bool> _onHold = () => false;
    private bool _ringing;
    private bool _connected;
    private bool _ended;

    /// <summary>Tracks a call that plays a notice when <paramref name="hasNotice"/>; <paramref name="changed"/> after each new phase, outside the lock.</summary>
    public CallProgressTracker(bool hasNotice, Action changed)
    {
        _hasNotice = hasNotice;
        _changed = changed;
    }

    public CallProgress Current => Volatile.Read(ref _current);

    /// <summary>From now on, whether a party holds the call.</summary>
    public void WatchHold(Func<bool> onHold) => Update(() => _onHold = onHold);

    public void Ringing() => Update(() => _ringing = true);

    public void Answered(DateTimeOffset at) => Update(() => _current = _current with { AnsweredAt = at });

    /// <summary>Whether the notice was played in full, once it ended.</summary>
    public bool? NoticePlayedInFull { get; private set; }

    /// <summary>The notice is over (or there was none): the parties talk, unless it was cut short.</summary>
    public void NoticeEnded(bool playedInFull) => Update(() =>
    {
        NoticePlayedInFull = playedInFull;
        _connected = playedInFull || !_hasNotice;
    });

    /// <summary>A party went on or off hold.</summary>
    public void HoldChanged() => Update(() => { });

    public void Ended() => Update(() => _ended = true);

    private void Update(Action change)
    {
        CallPhase before, after;
        lock (_lock)
        {
            change();
            CallProgress progress = _current;
            after = _ended ? CallPhase.Ended
                : progress.AnsweredAt is null ? (_ringing ? CallPhase.Ringing : CallPhase.Dialling)
                : !_connected && _hasNotice ? CallPhase.Notice
                : _onHold() ? CallPhase.OnHold
                : CallPhase.Connected;
            before = progress.Phase;
            Volatile.Write(ref _current, progress with { Phase = after });
        }

        if (before != after && after != CallPhase.Ended)
        {
            _changed();
        }
    }
}
