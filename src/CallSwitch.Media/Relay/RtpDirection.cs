using CallSwitch.Media.Rtp;

namespace CallSwitch.Media.Relay;

/// <summary>
/// What relaying the RTP of one direction of a session (from one leg's peer to the other's)
/// reads, taken from one <see cref="RelayRoute"/> snapshot and gathered into one object.
/// </summary>
/// <remarks>
/// At hundreds of calls a receive loop finds little of a call in its caches when the call's
/// next packet comes, so the path should reach few objects: through this one it reads the
/// references and numbers it needs without going through the session, the route, both legs'
/// settings and the session's socket table, and beyond it touches only what changes per packet
/// (the two latches, the outgoing stream's rewriter, the two legs' counters). The relay rig
/// could not measure a difference (its calls' objects are allocated side by side, unlike a
/// switch's: bench/notes/2026-12-08-relay-hot-path.md). Immutable: the session builds a new one
/// whenever it swaps its route and publishes it to the receiving socket's handler, so a packet
/// sees one route, old or new, never a mix.
/// </remarks>
internal sealed class RtpDirection
{
    public RtpDirection(RelaySession session, RelayRoute route, RelayLeg from, RelayLeg to, RelaySocket toSocket, bool connectLatched)
    {
        Session = session;
        FromId = from.Id;
        FromCounters = from.CounterSet;
        ToCounters = to.CounterSet;
        Rewriter = to.Outbound;
        SourceLatch = route.RtpLatch(from.Id);
        DestinationLatch = route.RtpLatch(to.Id);
        ToSocket = toSocket;
        Transcoder = route.Transcoder(from.Id);
        FromSinks = route.Sinks(from.Id);
        ToSinks = route.Sinks(to.Id);
        TelephoneEventObserver = route.TelephoneEventObserver;
        RelayLegSettings fromSettings = route.Settings(from.Id);
        RelayLegSettings toSettings = route.Settings(to.Id);
        FromAudioPayloadType = fromSettings.AudioPayloadType;
        FromTelephoneEventPayloadType = fromSettings.TelephoneEventPayloadType;
        ToAudioPayloadType = toSettings.AudioPayloadType;
        ToTelephoneEventPayloadType = toSettings.TelephoneEventPayloadType;
        ToClockRate = toSettings.ClockRate;
        Forwards = route.Forwards(from.Id);
        ConnectLatched = connectLatched;
    }

    /// <summary>The session, for what is rare on the path (connecting a socket to a peer just latched).</summary>
    public RelaySession Session { get; }

    public RelayLegId FromId { get; }

    public LegCounterSet FromCounters { get; }

    public LegCounterSet ToCounters { get; }

    /// <summary>The continuous stream toward the other leg's peer.</summary>
    public RtpStreamRewriter Rewriter { get; }

    /// <summary>Whom the receiving socket accepts packets from.</summary>
    public LatchState SourceLatch { get; }

    /// <summary>Where the other leg's RTP socket sends.</summary>
    public LatchState DestinationLatch { get; }

    /// <summary>The other leg's RTP socket.</summary>
    public RelaySocket ToSocket { get; }

    public IPayloadTranscoder? Transcoder { get; }

    public IMediaSink[] FromSinks { get; }

    public IMediaSink[] ToSinks { get; }

    public ITelephoneEventObserver? TelephoneEventObserver { get; }

    public int FromAudioPayloadType { get; }

    /// <summary>RFC 4733 payload type on the receiving leg, or -1.</summary>
    public int FromTelephoneEventPayloadType { get; }

    public int ToAudioPayloadType { get; }

    public int ToTelephoneEventPayloadType { get; }

    public int ToClockRate { get; }

    /// <summary>Whether packets are relayed (false while an announcement plays to the other leg).</summary>
    public bool Forwards { get; }

    /// <summary>Whether the receiving leg's RTP socket is connected to its peer once latched.</summary>
    public bool ConnectLatched { get; }
}
