using CallSwitch.Media.Mixing;

namespace CallSwitch.Calls.Supervision;

/// <summary>
/// One supervisor on one live call: switch mode (each switch asked of the policy again and
/// audited), leave (the call goes on untouched), and be told when the call ends (the
/// supervisor's dialog is then ended with a BYE).
/// </summary>
/// <remarks>Thread-safe: keys arrive on the relay's threads, SIP INFO and BYE on signalling threads.</remarks>
public sealed class SupervisionSession
{
    private readonly CallSupervision _call;
    private readonly SupervisionService _service;
    private readonly Lock _lock = new();
    private readonly List<(DateTimeOffset At, SupervisionMode Mode)> _modes = [];
    private bool _ended;

    internal SupervisionSession(CallSupervision call, SupervisionService service, string callId, SupervisorRequest request, MixSupervisor seat, DateTimeOffset startedAt)
    {
        _call = call;
        _service = service;
        CallId = callId;
        Supervisor = request.Supervisor;
        Agent = request.Agent;
        Request = request;
        Seat = seat;
        StartedAt = startedAt;
        _modes.Add((startedAt, request.Mode));
    }

    /// <summary>Raised once when the supervised call ends (not when the supervisor leaves): end the supervisor's dialog.</summary>
    public event Action<SupervisionSession>? CallEnded;

    /// <summary>The supervised call's id (as in the live list).</summary>
    public string CallId { get; }

    /// <summary>The supervisor's extension.</summary>
    public string Supervisor { get; }

    /// <summary>The agent's extension.</summary>
    public string Agent { get; }

    /// <summary>When the session started.</summary>
    public DateTimeOffset StartedAt { get; }

    /// <summary>The current mode.</summary>
    public SupervisionMode Mode => Seat.Mode;

    /// <summary>Every mode the session was in, with the time it was entered, first to last.</summary>
    public IReadOnlyList<(DateTimeOffset At, SupervisionMode Mode)> Modes
    {
        get
        {
            lock (_lock)
            {
                return [.. _modes];
            }
        }
    }

    /// <summary>Whether the session is over (left, or the call ended).</summary>
    public bool HasEnded
    {
        get
        {
            lock (_lock)
            {
                return _ended;
            }
        }
    }

    internal SupervisorRequest Request { get; }

    internal MixSupervisor Seat { get; }

    /// <summary>Switches mode without a new call; the policy is asked again and the switch audited.</summary>
    /// <returns>False when refused (audited) or the session is over; the mode is then unchanged.</returns>
    public bool SwitchMode(SupervisionMode mode)
    {
        lock (_lock)
        {
            if (_ended)
            {
                return false;
            }

            SupervisionMode from = Seat.Mode;
            if (from == mode)
            {
                return true;
            }

            if (!_service.Allows(Supervisor, Agent, mode))
            {
                return false;
            }

            _call.SetMode(Seat, mode);
            _modes.Add((_service.Now, mode));
            _ = _service.Audit.ModeChanged(Supervisor, CallId, Agent, from, mode);
            return true;
        }
    }

    /// <summary>The supervisor hung up: their mix stops, the parties' streams go back to forwarding, the call goes on.</summary>
    public void Leave() => End("supervisor left", notify: false);

    internal void OnCallEnded() => End("call ended", notify: true);

    private void End(string why, bool notify)
    {
        lock (_lock)
        {
            if (_ended)
            {
                return;
            }

            _ended = true;
        }

        _call.Remove(this);
        _ = _service.Audit.Ended(Supervisor, CallId, Agent, _service.Now - StartedAt, why);
        if (notify)
        {
            CallEnded?.Invoke(this);
        }
    }
}
