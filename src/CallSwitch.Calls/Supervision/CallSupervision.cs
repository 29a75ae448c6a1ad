using CallSwitch.Media.Announcements;
using CallSwitch.Media.Mixing;

namespace CallSwitch.Calls.Supervision;

/// <summary>
/// The supervisors of one call around its <see cref="SupervisionMixer"/>: the mixer ticks on the
/// media clock from the first supervisor until the call's media is released, and each
/// supervisor's end point is wired to their seat in it.
/// </summary>
/// <remarks>Owned by the call's media; thread-safe (one lock for the list of sessions).</remarks>
internal sealed class CallSupervision
{
    private readonly SupervisionMixer _mixer;
    private readonly MediaClock _clock;
    private readonly Lock _lock = new();
    private readonly List<SupervisionSession> _sessions = [];
    private ITimer? _tone;
    private bool _closed;

    public CallSupervision(SupervisionMixer mixer, MediaClock clock)
    {
        _mixer = mixer;
        _clock = clock;
        clock.Add(mixer);
    }

    /// <summary>The mixer (its listen feed is for any consumer, e.g. the web console).</summary>
    public SupervisionMixer Mixer => _mixer;

    public IReadOnlyList<SupervisionSession> Sessions
    {
        get
        {
            lock (_lock)
            {
                return [.. _sessions];
            }
        }
    }

    /// <returns>Null when the call's media is already released.</returns>
    public SupervisionSession? Join(SupervisionService service, string callId, SupervisorRequest request)
    {
        lock (_lock)
        {
            if (_closed)
            {
                return null;
            }

            MixSupervisor seat = _mixer.AddSupervisor(request.Format, request.Endpoint, request.Mode);
            request.Endpoint.SetSink(seat.Input);
            var session = new SupervisionSession(this, service, callId, request, seat, service.Now);
            _sessions.Add(session);
            return session;
        }
    }

    /// <summary>Adds a listen feed consumer until the returned handle is disposed; null when the media is already released.</summary>
    public IDisposable? AttachListener(IPcmFrameSink sink)
    {
        lock (_lock)
        {
            if (_closed)
            {
                return null;
            }

            _mixer.AddListenSink(sink);
        }

        return new ListenerHandle(this, sink);
    }

    public void SetMode(MixSupervisor seat, SupervisionMode mode) => _mixer.SetMode(seat, mode);

    /// <summary>The call went on or off hold: barging stops reaching the prospect while it is held.</summary>
    public void SetHeld(bool held) => _mixer.SetHeld(held);

    /// <summary>The short tone to the agent (supervision.notify_agent): on now, off after <paramref name="length"/>.</summary>
    public void NotifyAgent(TimeProvider time, TimeSpan length)
    {
        lock (_lock)
        {
            if (_closed)
            {
                return;
            }

            _tone?.Dispose();
            _mixer.StartAgentTone();
            _tone = time.CreateTimer(_ => _mixer.StopAgentTone(), null, length, Timeout.InfiniteTimeSpan);
        }
    }

    public void Remove(SupervisionSession session)
    {
        lock (_lock)
        {
            _sessions.Remove(session);
        }

        session.Request.Endpoint.SetSink(null);
        _mixer.RemoveSupervisor(session.Seat);
    }

    /// <summary>The call's media is being released: every session ends (their supervisors get a BYE), the mixer stops.</summary>
    public void Close()
    {
        SupervisionSession[] sessions;
        lock (_lock)
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
            sessions = [.. _sessions];
            _tone?.Dispose();
        }

        foreach (SupervisionSession session in sessions)
        {
            session.OnCallEnded();
        }

        _clock.Remove(_mixer);
        _mixer.Dispose();
    }

    private void DetachListener(IPcmFrameSink sink)
    {
        lock (_lock)
        {
            // A closed mixer is disposed and holds no sink any more.
            if (!_closed)
            {
                _mixer.RemoveListenSink(sink);
            }
        }
    }

    private sealed class ListenerHandle(CallSupervision owner, IPcmFrameSink sink) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.DetachListener(sink);
            }
        }
    }
}
