using System.Net;
using CallSwitch.Media.Announcements;
using CallSwitch.Calls.Supervision;
using CallSwitch.Media.Codecs;
using CallSwitch.Media.Dtmf;
using CallSwitch.Media.Mixing;
using CallSwitch.Media.Relay;
using CallSwitch.Media.Rtp;
using CallSwitch.Sip.Sdp;
using Serilog;

namespace CallSwitch.Calls.Media;

/// <summary>
/// The anchored media of one call: a relay session (leg A toward the agent, leg B toward the
/// prospect), transcoders when the legs agreed on different codecs, and the recording notice
/// played to the prospect on the 20 ms media clock before the two parties are connected.
/// Signalling threads configure it; the relay's and the clock's threads move the packets.
/// </summary>
public sealed class CallMedia : IMediaClockSource, ITelephoneEventObserver, IDisposable
{
    // Injected packets need a source id other than the relay's own (0) in the stream rewriter.
    private const int AnnouncementSource = 1;

    private readonly RelaySession _session;
    private readonly MediaClock _clock;
    private readonly IPAddress _advertised;
    private readonly ILogger _log;
    private readonly Lock _lock = new();
    private readonly byte[] _packet = new byte[RtpPacket.FixedHeaderLength + 320];
    private readonly DtmfRecorder _dtmf = new();

    // Per party: whether the key press in progress is withheld (touched only by that leg's relay thread).
    private readonly bool[] _withholding = new bool[2];
    private IDigitInterceptor? _interceptor;
    private NegotiatedAudioStream? _agent;
    private NegotiatedAudioStream? _prospect;
    private Playback? _toProspect;
    private Playback? _toAgent;
    private TaskCompletionSource<bool>? _announcementDone;
    private CallSupervision? _supervision;
    private int _disposed;

    /// <summary>Creates the media of a call on <paramref name="relay"/>.</summary>
    public CallMedia(MediaRelay relay, MediaClock clock, IPAddress advertised, ILogger log)
    {
        _session = relay.CreateSession();
        _clock = clock;
        _advertised = advertised;
        _log = log;
        _session.SetTelephoneEventObserver(this);

        // Nothing passes until signalling says so: early media opens the callee's direction,
        // the end of the notice opens both (the prospect never hears the agent before that).
        _session.SetForwarding(RelayLegId.A, false);
        _session.SetForwarding(RelayLegId.B, false);
    }

    /// <summary>Digits seen on either leg, in order (RFC 4733 events, each reported once).</summary>
    public event Action<CallParty, char>? DigitReceived;

    /// <summary>
    /// Sets who decides whether each key press reaches the other party (null: all do). The
    /// digits are still reported by <see cref="DigitReceived"/>.
    /// </summary>
    public void SetDigitInterceptor(IDigitInterceptor? interceptor) => Volatile.Write(ref _interceptor, interceptor);

    /// <summary>Whether the notice is being played to the prospect now.</summary>
    public bool IsPlayingAnnouncement => Volatile.Read(ref _toProspect) is not null;

    /// <summary>The relay session (counters, sinks).</summary>
    public RelaySession Session => _session;

    /// <summary>Our RTP port for a party's leg.</summary>
    public int LocalPort(CallParty party) => Leg(party).LocalRtpEndPoint.Port;

    /// <summary>The address written in our SDP.</summary>
    public IPAddress AdvertisedAddress => _advertised;

    /// <summary>The stream negotiated with a party, once known.</summary>
    public NegotiatedAudioStream? Negotiated(CallParty party) => party == CallParty.Agent ? _agent : _prospect;

    /// <summary>
    /// Applies what offer/answer agreed with <paramref name="party"/>: where to send, which
    /// payload types. Called again after a re-INVITE. Sets up transcoding when both legs are known.
    /// </summary>
    public void Configure(CallParty party, NegotiatedAudioStream stream)
    {
        lock (_lock)
        {
            if (party == CallParty.Agent)
            {
                _agent = stream;
            }
            else
            {
                _prospect = stream;
            }

            IPEndPoint? rtp = stream.RemoteOnHold ? null : stream.RemoteRtpEndPoint;
            IPEndPoint? rtcp = rtp is null || !IPAddress.TryParse(stream.RemoteRtcpAddress, out var rtcpAddress) ? null : new IPEndPoint(rtcpAddress, stream.RemoteRtcpPort);
            _session.Configure(Id(party), new RelayLegSettings
            {
                RemoteRtp = rtp,
                RemoteRtcp = rtcp,
                AudioPayloadType = stream.Codec.PayloadType,
                ClockRate = stream.Codec.ClockRate,
                TelephoneEventPayloadType = stream.TelephoneEventPayloadType ?? -1,
            });
            UpdateTranscoders();
        }
    }

    /// <summary>
    /// Plays <paramref name="announcement"/> to the prospect (and to the agent too when
    /// <paramref name="agentHears"/>), with the parties not yet connected; connects them when it
    /// ends. Completes with true when it was played in full. Without an announcement the parties
    /// are connected at once.
    /// </summary>
    public Task<bool> PlayAnnouncementThenConnectAsync(Announcement? announcement, bool agentHears)
    {
        lock (_lock)
        {
            if (announcement is null || _prospect is null || CodecOf(_prospect) is not { } prospectCodec)
            {
                ConnectUnlocked();
                return Task.FromResult(false);
            }

            _session.SetForwarding(RelayLegId.A, false);
            _session.SetForwarding(RelayLegId.B, false);
            _toProspect = new Playback(announcement.CreatePlayer(prospectCodec), _prospect.Codec.PayloadType, prospectCodec);
            if (agentHears && _agent is not null && CodecOf(_agent) is { } agentCodec)
            {
                _toAgent = new Playback(announcement.CreatePlayer(agentCodec), _agent.Codec.PayloadType, agentCodec);
            }

            _announcementDone = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            _clock.Add(this);
            return _announcementDone.Task;
        }
    }

    /// <summary>Stops the notice early (the call ends, or the prospect refused); the parties are not connected.</summary>
    public void StopAnnouncement()
    {
        Playback? prospect;
        lock (_lock)
        {
            prospect = _toProspect;
            _toAgent?.Player.Stop();
        }

        prospect?.Player.Stop();
        Finish(connect: false);
    }

    /// <inheritdoc />
    void IMediaClockSource.OnTick(in MediaTick tick)
    {
        Playback? prospect = _toProspect;
        Playback? agent = _toAgent;
        if (prospect is null)
        {
            return;
        }

        bool more = Send(prospect, RelayLegId.B);
        if (agent is not null)
        {
            Send(agent, RelayLegId.A);
        }

        if (!more)
        {
            Finish(connect: prospect.Player.PlayedInFull);
        }
    }

    /// <summary>
    /// A key press signalled out of the media (SIP INFO): reported like an RFC 4733 key, to the
    /// interceptor and by <see cref="DigitReceived"/>. There is no packet to withhold.
    /// </summary>
    public void OnSignalledDigit(CallParty party, char digit) => Report(party, digit);

    /// <inheritdoc />
    bool ITelephoneEventObserver.OnTelephoneEvent(RelayLegId leg, uint rtpTimestamp, ReadOnlySpan<byte> payload)
    {
        CallParty party = leg == RelayLegId.A ? CallParty.Agent : CallParty.Prospect;
        if (_dtmf.TryReport(party, rtpTimestamp, payload, out char digit))
        {
            // The first packet of a key press decides for all of them: its updates, its three
            // end packets (RFC 4733 §2.5.1.4) and the segments of a long press (§2.5.2.3).
            _withholding[(int)party] = Report(party, digit);
        }
        else if (!TelephoneEvent.TryParse(payload, out TelephoneEvent report) || !report.IsDtmf)
        {
            return true; // not a key (flash, tones): never ours to withhold
        }

        return !_withholding[(int)party];
    }

    /// <summary>A key press started: the interceptor's verdict (true: withhold it), then <see cref="DigitReceived"/>.</summary>
    private bool Report(CallParty party, char digit)
    {
        bool withhold = Volatile.Read(ref _interceptor)?.OnDigit(party, digit) == true;
        DigitReceived?.Invoke(party, digit);
        return withhold;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            CallSupervision? supervision;
            lock (_lock)
            {
                supervision = _supervision;
            }

            // Supervisors first: their sessions end (and their dialogs get a BYE) before the relay goes.
            supervision?.Close();
            _clock.Remove(this);
            _session.Dispose();
        }
    }

    /// <summary>The call's supervisors, if any ever joined; never creates the mixer.</summary>
    internal CallSupervision? CurrentSupervision
    {
        get
        {
            lock (_lock)
            {
                return _supervision;
            }
        }
    }

    /// <summary>
    /// The call's supervisors around its mixer, created with the first of them; null when the
    /// media is released or a leg's codec cannot be mixed. The mixer then ticks on the media
    /// clock until the media is released. (A re-INVITE that changes a leg's codec later is not
    /// followed by the mixer: it keeps the formats of its creation.)
    /// </summary>
    /// <param name="onBarge">Told, when the mixer is created, of each start and end of barging (the recording follows it).</param>
    internal CallSupervision? Supervision(Action<bool>? onBarge = null)
    {
        lock (_lock)
        {
            if (_supervision is null && Volatile.Read(ref _disposed) == 0
                && _agent is not null && _prospect is not null
                && CodecOf(_agent) is { } agent && CodecOf(_prospect) is { } prospect)
            {
                var mixer = new SupervisionMixer(_session, new MixFormat(agent, _agent.Codec.PayloadType), new MixFormat(prospect, _prospect.Codec.PayloadType));
                if (onBarge is not null)
                {
                    mixer.ProspectMixChanged += onBarge;
                }

                _supervision = new CallSupervision(mixer, _clock);
            }

            return Volatile.Read(ref _disposed) == 0 ? _supervision : null;
        }
    }

    private static AudioCodecInfo? CodecOf(NegotiatedAudioStream stream) =>
        CodecRegistry.Default.TryGet(stream.Codec.EncodingName, stream.Codec.ClockRate, out var codec) ? codec : null;

    private static RelayLegId Id(CallParty party) => party == CallParty.Agent ? RelayLegId.A : RelayLegId.B;

    private RelayLeg Leg(CallParty party) => _session.Leg(Id(party));

    private bool Send(Playback playback, RelayLegId to)
    {
        Span<byte> payload = _packet.AsSpan(RtpPacket.FixedHeaderLength);
        if (!playback.Player.TryGetNextFrame(payload, out int length))
        {
            return false;
        }

        int header = RtpPacket.WriteHeader(_packet, playback.PayloadType, playback.Sequence == 0, playback.Sequence, playback.Timestamp, 0x43530001);
        playback.Advance();
        _session.Inject(to, _packet.AsSpan(0, header + length), AnnouncementSource);
        return true;
    }

    private void Finish(bool connect)
    {
        TaskCompletionSource<bool>? done;
        bool playedInFull;
        lock (_lock)
        {
            done = _announcementDone;
            playedInFull = _toProspect?.Player.PlayedInFull == true;
            _announcementDone = null;
            _toProspect = null;
            _toAgent = null;
            if (done is null)
            {
                return;
            }

            if (connect)
            {
                ConnectUnlocked();
            }
        }

        _clock.Remove(this);
        done.TrySetResult(playedInFull);
    }

    private void ConnectUnlocked()
    {
        _session.SetForwarding(RelayLegId.A, true);
        _session.SetForwarding(RelayLegId.B, true);
    }

    private void UpdateTranscoders()
    {
        if (_agent is null || _prospect is null)
        {
            return;
        }

        AudioCodecInfo? agent = CodecOf(_agent);
        AudioCodecInfo? prospect = CodecOf(_prospect);
        if (agent is null || prospect is null || agent == prospect)
        {
            _session.SetTranscoder(RelayLegId.A, null);
            _session.SetTranscoder(RelayLegId.B, null);
            return;
        }

        _log.Debug("Transcoding {AgentCodec} (agent) <-> {ProspectCodec} (prospect)", agent.EncodingName, prospect.EncodingName);
        _session.SetTranscoder(RelayLegId.A, new TranscoderAdapter(CodecRegistry.Default.CreateTranscoder(agent, prospect)));
        _session.SetTranscoder(RelayLegId.B, new TranscoderAdapter(CodecRegistry.Default.CreateTranscoder(prospect, agent)));
    }

    /// <summary>One announcement playback toward one leg, with its own RTP numbering (the relay rewrites it into the leg's stream).</summary>
    private sealed class Playback(AnnouncementPlayer player, int payloadType, AudioCodecInfo codec)
    {
        public AnnouncementPlayer Player { get; } = player;

        public int PayloadType { get; } = payloadType;

        public ushort Sequence { get; private set; }

        public uint Timestamp { get; private set; }

        public void Advance()
        {
            Sequence++;
            Timestamp += (uint)codec.RtpTimestampPerFrame;
        }
    }
}
