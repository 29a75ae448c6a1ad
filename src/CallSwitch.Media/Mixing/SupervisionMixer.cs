using CallSwitch.Media.Announcements;
using CallSwitch.Media.Codecs;
using CallSwitch.Media.Relay;

namespace CallSwitch.Media.Mixing;

/// <summary>
/// The media of a supervised call: on every 20 ms tick, mixes decoded PCM per recipient and
/// sends each recipient one stream. Supervisors always hear the agent and the prospect; the
/// agent hears whispering and barging supervisors; the prospect hears barging supervisors only.
/// </summary>
/// <remarks>
/// <para>
/// Only what needs mixing is mixed. While no supervisor talks to the agent, the relay keeps
/// forwarding the prospect's packets to the agent untouched; likewise towards the prospect
/// until someone barges. When a recipient needs a mix, the relay's forwarding towards it is
/// paused and the mix is injected into the same leg stream (<see cref="RelaySession.Inject"/>),
/// whose rewriter keeps SSRC, sequence and timestamps continuous across the switch. A
/// listening supervisor's own packets are not even decoded.
/// </para>
/// <para>
/// Threads: <see cref="OnTick"/> runs on the media clock's thread; the parties' packets are
/// decoded on the relay's receive threads as they arrive (<see cref="MixInput"/>); the
/// configuration methods (<see cref="AddSupervisor"/>, <see cref="SetMode"/>,
/// <see cref="RemoveSupervisor"/>, sinks) are for signalling, serialised by a lock and
/// published as a new immutable plan that the tick reads without a lock. Buffers: all are
/// allocated at set-up (here and per supervisor); a tick allocates nothing. The mix runs at
/// 8 kHz (narrowband, as the trunks are): a G.722 party is brought down to it and back up.
/// </para>
/// </remarks>
public sealed class SupervisionMixer : IMediaClockSource, IDisposable
{
    /// <summary>The mix's sample rate.</summary>
    public const int SampleRate = 8000;

    /// <summary>Samples in one 20 ms frame of the mix.</summary>
    public const int FrameSamples = SampleRate / 50;

    /// <summary>The source id the mix uses in the legs' stream rewriters (announcements use 1).</summary>
    public const int DefaultSourceId = 0x4D58;

    // The notice tone (supervision.notify_agent): 0.4 s of 440 Hz at about -16 dBFS.
    private static readonly short[] Tone = BuildTone(440, 5000, 20);

    private readonly RelaySession _session;
    private readonly CodecRegistry _codecs;
    private readonly int _sourceId;
    private readonly Lock _gate = new();
    private readonly MixInput _agentInput;
    private readonly MixInput _prospectInput;
    private readonly MixOutput _agentOutput;
    private readonly MixOutput _prospectOutput;
    private readonly short[] _agentPcm = new short[FrameSamples];
    private readonly short[] _prospectPcm = new short[FrameSamples];
    private readonly int[] _sum = new int[FrameSamples];
    private readonly short[] _mix = new short[FrameSamples];
    private MixPlan _plan = MixPlan.Empty;
    private int _toneRestart;
    private int _tonePosition;
    private long _sinkFaults;
    private long _sendFailures;
    private bool _disposed;

    /// <summary>Attaches a mixer to a relayed call: from now on both parties' audio is decoded for the mix.</summary>
    /// <param name="session">The call's relay session (leg A the agent, leg B the prospect).</param>
    /// <param name="agent">Leg A's negotiated audio format.</param>
    /// <param name="prospect">Leg B's negotiated audio format.</param>
    /// <param name="codecs">Where decoders and encoders come from.</param>
    /// <param name="sourceId">The id of the mix in the legs' rewriters (not 0, not another source's).</param>
    public SupervisionMixer(RelaySession session, MixFormat agent, MixFormat prospect, CodecRegistry? codecs = null, int sourceId = DefaultSourceId)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentOutOfRangeException.ThrowIfZero(sourceId);
        _session = session;
        _codecs = codecs ?? CodecRegistry.Default;
        _sourceId = sourceId;
        _agentInput = new MixInput(agent, _codecs, enabled: true);
        _prospectInput = new MixInput(prospect, _codecs, enabled: true);
        _agentOutput = new MixOutput(agent, _codecs);
        _prospectOutput = new MixOutput(prospect, _codecs);
        session.AddSink(RelayLegId.A, _agentInput);
        session.AddSink(RelayLegId.B, _prospectInput);
    }

    /// <summary>
    /// Raised on the signalling thread, under the mixer's lock, when the prospect starts (true)
    /// or stops (false) hearing a mix: someone barges in, or the last barging supervisor stops.
    /// Handlers return quickly and never call back into the mixer.
    /// </summary>
    public event Action<bool>? ProspectMixChanged;

    /// <summary>The supervisors on the call now.</summary>
    public IReadOnlyList<MixSupervisor> Supervisors => Volatile.Read(ref _plan).Supervisors;

    /// <summary>Whether the agent hears a mix now (someone whispers or barges) rather than the forwarded prospect.</summary>
    public bool MixesToAgent => Volatile.Read(ref _plan).MixesToAgent;

    /// <summary>Whether the prospect hears a mix now (someone barges) rather than the forwarded agent.</summary>
    public bool MixesToProspect => Volatile.Read(ref _plan).MixesToProspect;

    /// <summary>Frames a sink or outlet threw on, and mixed packets a leg did not send.</summary>
    public long Faults => Interlocked.Read(ref _sinkFaults) + Interlocked.Read(ref _sendFailures);

    /// <summary>Adds a supervisor; from the next tick they hear both parties.</summary>
    /// <param name="format">The supervisor's negotiated audio format.</param>
    /// <param name="outlet">Where the supervisor's mix is sent.</param>
    /// <param name="mode">The starting mode.</param>
    public MixSupervisor AddSupervisor(MixFormat format, IMixOutlet outlet, SupervisionMode mode)
    {
        ArgumentNullException.ThrowIfNull(outlet);
        var supervisor = new MixSupervisor(format, outlet, mode, _codecs);
        Change(plan => plan.With(supervisor, mode));
        return supervisor;
    }

    /// <summary>Switches a supervisor's mode; the next tick mixes accordingly.</summary>
    public void SetMode(MixSupervisor supervisor, SupervisionMode mode)
    {
        ArgumentNullException.ThrowIfNull(supervisor);
        lock (_gate)
        {
            if (!Volatile.Read(ref _plan).Supervisors.Contains(supervisor))
            {
                throw new InvalidOperationException("The supervisor is not on this call.");
            }

            supervisor.Mode = mode;
            Change(plan => plan.WithMode(supervisor, mode));
        }
    }

    /// <summary>Takes a supervisor off the call; the parties' streams go back to forwarding when nobody else needs a mix.</summary>
    /// <returns>False when they were not on it.</returns>
    public bool RemoveSupervisor(MixSupervisor supervisor)
    {
        lock (_gate)
        {
            if (!Volatile.Read(ref _plan).Supervisors.Contains(supervisor))
            {
                return false;
            }

            Change(plan => plan.Without(supervisor));
            return true;
        }
    }

    /// <summary>
    /// Plays the short tone that tells the agent a supervisor joined (only the agent hears it);
    /// the agent's direction is mixed until <see cref="StopAgentTone"/>.
    /// </summary>
    public void StartAgentTone()
    {
        lock (_gate)
        {
            Volatile.Write(ref _toneRestart, 1);
            Change(plan => plan with { AgentTone = true });
        }
    }

    /// <summary>Ends the tone's spell: the agent's direction goes back to forwarding unless someone whispers or barges.</summary>
    public void StopAgentTone() => Change(plan => plan with { AgentTone = false });

    /// <summary>
    /// The call went on hold (or came off it). While it is held, a barging supervisor is not
    /// mixed to the prospect: a hold is how an agent talks to the supervisor without the
    /// prospect hearing, so the prospect's direction goes back to forwarding what the agent's
    /// phone sends (music on hold, or nothing), and <see cref="ProspectMixChanged"/> says so (the
    /// recording's left channel follows). Supervisors keep hearing both parties; the agent keeps
    /// hearing whisperers and bargers whenever its phone accepts audio.
    /// </summary>
    public void SetHeld(bool held) => Change(plan => plan with { Held = held });

    /// <summary>Attaches a consumer of the listen feed (both parties mixed), e.g. the web console.</summary>
    public void AddListenSink(IPcmFrameSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        Change(plan => plan with { ListenSinks = [.. plan.ListenSinks, sink] });
    }

    /// <summary>Detaches a listen feed consumer; a tick already running may still offer it one frame.</summary>
    public void RemoveListenSink(IPcmFrameSink sink) =>
        Change(plan => plan with { ListenSinks = Array.FindAll(plan.ListenSinks, s => !ReferenceEquals(s, sink)) });

    /// <inheritdoc />
    public void OnTick(in MediaTick tick)
    {
        MixPlan plan = Volatile.Read(ref _plan);
        bool hasAgent = _agentInput.TryTake(_agentPcm);
        bool hasProspect = _prospectInput.TryTake(_prospectPcm);
        MixSupervisor[] supervisors = plan.Supervisors;
        for (int i = 0; i < supervisors.Length; i++)
        {
            supervisors[i].TakeFrame(plan.Modes[i]);
        }

        // Both parties, for the listen feed and as the base of every supervisor's mix.
        _sum.AsSpan().Clear();
        Add(hasAgent, _agentPcm);
        Add(hasProspect, _prospectPcm);
        if (plan.ListenSinks.Length > 0)
        {
            PcmMixing.Saturate(_sum, _mix);
            OfferListenFeed(plan.ListenSinks, tick.Index);
        }

        foreach (MixSupervisor recipient in supervisors)
        {
            _sum.AsSpan().Clear();
            Add(hasAgent, _agentPcm);
            Add(hasProspect, _prospectPcm);
            foreach (MixSupervisor talker in supervisors)
            {
                // Supervisors hear each other only when barging: a whisper is for the agent.
                Add(!ReferenceEquals(talker, recipient) && talker.TickMode == SupervisionMode.Barge && talker.HasPcm, talker.Pcm);
            }

            PcmMixing.Saturate(_sum, _mix);
            SendToSupervisor(recipient, recipient.Output.Encode(_mix, tick.Index));
        }

        if (plan.MixesToAgent)
        {
            _sum.AsSpan().Clear();
            Add(hasProspect, _prospectPcm);
            foreach (MixSupervisor talker in supervisors)
            {
                Add(talker.TickMode != SupervisionMode.Listen && talker.HasPcm, talker.Pcm);
            }

            if (plan.AgentTone)
            {
                AddTone();
            }

            PcmMixing.Saturate(_sum, _mix);
            SendToLeg(RelayLegId.A, _agentOutput.Encode(_mix, tick.Index));
        }
        else
        {
            _agentOutput.Pause();
        }

        if (plan.MixesToProspect)
        {
            _sum.AsSpan().Clear();
            Add(hasAgent, _agentPcm);
            foreach (MixSupervisor talker in supervisors)
            {
                Add(talker.TickMode == SupervisionMode.Barge && talker.HasPcm, talker.Pcm);
            }

            PcmMixing.Saturate(_sum, _mix);
            SendToLeg(RelayLegId.B, _prospectOutput.Encode(_mix, tick.Index));
        }
        else
        {
            _prospectOutput.Pause();
        }
    }

    /// <summary>
    /// Detaches from the call: the parties' sinks go, forwarding that the mixer paused resumes.
    /// Stop ticking it first (remove it from the media clock).
    /// </summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            Change(_ => MixPlan.Empty);
            _session.RemoveSink(RelayLegId.A, _agentInput);
            _session.RemoveSink(RelayLegId.B, _prospectInput);
        }
    }

    private static short[] BuildTone(double frequency, double amplitude, int frames)
    {
        var tone = new short[frames * FrameSamples];
        for (int i = 0; i < tone.Length; i++)
        {
            tone[i] = (short)Math.Round(amplitude * Math.Sin(2 * Math.PI * frequency * i / SampleRate));
        }

        return tone;
    }

    private void AddTone()
    {
        if (Interlocked.Exchange(ref _toneRestart, 0) == 1)
        {
            _tonePosition = 0;
        }

        if (_tonePosition < Tone.Length)
        {
            PcmMixing.Accumulate(_sum, Tone.AsSpan(_tonePosition, FrameSamples));
            _tonePosition += FrameSamples;
        }
    }

    private void Add(bool present, short[] pcm)
    {
        if (present)
        {
            PcmMixing.Accumulate(_sum, pcm);
        }
    }

    private void OfferListenFeed(IPcmFrameSink[] sinks, long tickIndex)
    {
        foreach (IPcmFrameSink sink in sinks)
        {
            try
            {
                sink.OnFrame(_mix, tickIndex);
            }
            catch (Exception)
            {
                // A consumer broke its contract; the supervisors and the call must not suffer.
                Interlocked.Increment(ref _sinkFaults);
            }
        }
    }

    private void SendToSupervisor(MixSupervisor recipient, Span<byte> packet)
    {
        try
        {
            if (!recipient.Outlet.Send(packet))
            {
                recipient.NoteSendFailure();
            }
        }
        catch (Exception)
        {
            Interlocked.Increment(ref _sinkFaults);
        }
    }

    private void SendToLeg(RelayLegId to, Span<byte> packet)
    {
        if (!_session.Inject(to, packet, _sourceId))
        {
            Interlocked.Increment(ref _sendFailures);
        }
    }

    // Signalling side: publishes the new plan, pausing a relayed direction before the mix
    // towards it starts and resuming it only after the mix has stopped, so that the two
    // sources overlap at most for the tick already running.
    private void Change(Func<MixPlan, MixPlan> change)
    {
        lock (_gate)
        {
            MixPlan before = _plan;
            MixPlan next = change(before).Settle();
            if (next.MixesToAgent && !before.MixesToAgent)
            {
                _session.SetForwarding(RelayLegId.B, false);
            }

            if (next.MixesToProspect && !before.MixesToProspect)
            {
                _session.SetForwarding(RelayLegId.A, false);
            }

            Volatile.Write(ref _plan, next);
            if (!next.MixesToAgent && before.MixesToAgent)
            {
                _session.SetForwarding(RelayLegId.B, true);
            }

            if (!next.MixesToProspect && before.MixesToProspect)
            {
                _session.SetForwarding(RelayLegId.A, true);
            }

            if (next.MixesToProspect != before.MixesToProspect)
            {
                ProspectMixChanged?.Invoke(next.MixesToProspect);
            }
        }
    }
}
