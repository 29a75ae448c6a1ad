using System.Net;
using System.Net.Sockets;
using CallSwitch.Media.Rtp;

namespace CallSwitch.Media.Relay;

/// <summary>
/// The media of one call anchored on the switch: packets from leg A's peer go out of leg B's
/// socket to B's peer and vice versa, each direction rewritten into one continuous stream of
/// ours (<see cref="RtpStreamRewriter"/>), RTCP relayed per leg with its SSRCs rewritten to
/// match, copies handed to each leg's sinks.
/// </summary>
/// <remarks>
/// Threads: the configuration methods (<see cref="Configure"/>, <see cref="SetForwarding"/>,
/// sinks, transcoders) are for signalling; each builds a new immutable route and swaps it in
/// atomically, so packets see either the old or the new route, never a mix, and the packet
/// path takes no lock. The RTP path of each direction reads the route through an
/// <see cref="RtpDirection"/> built from it and published to the receiving socket's handler
/// with it. Packets are handled on the relay's receive threads; <see cref="Inject"/> on the
/// caller's thread. Buffers: a received datagram is owned by its receive loop, parsed
/// in place, rewritten in place and sent from the same buffer.
/// </remarks>
public sealed class RelaySession : IDisposable
{
    // The source id of relayed packets in the rewriters; injected sources use others.
    private const int RelaySourceId = 0;

    private readonly IRelaySocketDriver _driver;
    private readonly TimeProvider _time;
    private readonly RelaySocket[] _sockets;
    private readonly Handler _rtpA;
    private readonly Handler _rtpB;
    private readonly long _createdAt;
    private readonly bool _connectLatched;
    private readonly Lock _updating = new();
    private RelayRoute _route;
    private int _disposed;

    internal RelaySession(IRelaySocketDriver driver, TimeProvider time, RtpSocketPair socketsA, RtpSocketPair socketsB, bool connectLatched = false)
    {
        _connectLatched = connectLatched;
        _driver = driver;
        _time = time;
        _createdAt = time.GetTimestamp();
        LegA = new RelayLeg(RelayLegId.A, socketsA, time, _createdAt);
        LegB = new RelayLeg(RelayLegId.B, socketsB, time, _createdAt);
        var none = new RelayLegSettings();
        _route = new RelayRoute
        {
            SettingsA = none,
            SettingsB = none,
            RtpLatchA = NewLatch(null, none),
            RtcpLatchA = NewLatch(null, none),
            RtpLatchB = NewLatch(null, none),
            RtcpLatchB = NewLatch(null, none),
        };
        // One receive thread serves the whole call (it writes both legs' counters and streams).
        int affinity = RelaySocket.NextAffinity();
        _rtpA = new Handler(this, LegA, rtcp: false);
        _rtpB = new Handler(this, LegB, rtcp: false);
        _sockets =
        [
            new RelaySocket(socketsA.Rtp, _rtpA, $"A {socketsA.RtpPort}") { Affinity = affinity },
            new RelaySocket(socketsA.Rtcp, new Handler(this, LegA, rtcp: true), $"A {socketsA.RtcpPort}") { Affinity = affinity },
            new RelaySocket(socketsB.Rtp, _rtpB, $"B {socketsB.RtpPort}") { Affinity = affinity },
            new RelaySocket(socketsB.Rtcp, new Handler(this, LegB, rtcp: true), $"B {socketsB.RtcpPort}") { Affinity = affinity },
        ];
        Publish(_route);
        _driver.AddAll(_sockets);
    }

    /// <summary>The agent leg.</summary>
    public RelayLeg LegA { get; }

    /// <summary>The prospect / trunk leg.</summary>
    public RelayLeg LegB { get; }

    /// <summary>The leg named <paramref name="id"/>.</summary>
    public RelayLeg Leg(RelayLegId id) => id == RelayLegId.A ? LegA : LegB;

    /// <summary>The session's four sockets as registered with the driver: A-RTP, A-RTCP, B-RTP, B-RTCP.</summary>
    internal IReadOnlyList<RelaySocket> Sockets => _sockets;

    /// <summary>The TimeProvider timestamp at which the session was created (for silence timers before any packet).</summary>
    public long CreatedAt => _createdAt;

    /// <summary>
    /// Sets what signalling negotiated for one leg (offer/answer, re-INVITE). A changed remote
    /// address starts a new latch; unchanged settings keep the current one.
    /// </summary>
    public void Configure(RelayLegId leg, RelayLegSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentOutOfRangeException.ThrowIfNegative(settings.AudioPayloadType);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(settings.AudioPayloadType, 127);
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.TelephoneEventPayloadType, -1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(settings.TelephoneEventPayloadType, 127);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(settings.ClockRate);
        long now = _time.GetTimestamp();
        Update(route =>
        {
            RelayLegSettings old = route.Settings(leg);
            bool relatch = !Equals(old.RemoteRtp, settings.RemoteRtp)
                || !Equals(old.EffectiveRemoteRtcp, settings.EffectiveRemoteRtcp)
                || old.Latch != settings.Latch;
            if (leg == RelayLegId.A)
            {
                return route with
                {
                    SettingsA = settings,
                    RtpLatchA = relatch ? NewLatch(settings.RemoteRtp, settings, now) : route.RtpLatchA,
                    RtcpLatchA = relatch ? NewLatch(settings.EffectiveRemoteRtcp, settings, now) : route.RtcpLatchA,
                };
            }

            return route with
            {
                SettingsB = settings,
                RtpLatchB = relatch ? NewLatch(settings.RemoteRtp, settings, now) : route.RtpLatchB,
                RtcpLatchB = relatch ? NewLatch(settings.EffectiveRemoteRtcp, settings, now) : route.RtcpLatchB,
            };
        });

        // A socket connected to the old peer would never hear the new one: start a fresh latch.
        RelaySocket rtp = _sockets[SocketIndex(leg, rtcp: false)];
        if (rtp.ConnectedTo is { } connected && !ReferenceEquals(Volatile.Read(ref _route).RtpLatch(leg).Destination, connected))
        {
            rtp.Disconnect();
        }
    }

    /// <summary>
    /// Pauses (false) or resumes (true) relaying what <paramref name="from"/>'s peer sends to
    /// the other leg, e.g. while an announcement plays to the other leg. Packets still count
    /// and still reach <paramref name="from"/>'s sinks.
    /// </summary>
    public void SetForwarding(RelayLegId from, bool enabled) =>
        Update(route => from == RelayLegId.A ? route with { ForwardAToB = enabled } : route with { ForwardBToA = enabled });

    /// <summary>Whether packets from <paramref name="from"/> are relayed to the other leg.</summary>
    public bool IsForwarding(RelayLegId from) => Volatile.Read(ref _route).Forwards(from);

    /// <summary>
    /// Sets the transcoder for audio received on <paramref name="from"/> (null: the legs share
    /// the codec and only the payload type is mapped). The instance is used by one thread at a
    /// time and for this direction only.
    /// </summary>
    public void SetTranscoder(RelayLegId from, IPayloadTranscoder? transcoder) =>
        Update(route => from == RelayLegId.A ? route with { TranscoderAToB = transcoder } : route with { TranscoderBToA = transcoder });

    /// <summary>Adds a sink to <paramref name="leg"/>: it sees what the leg's peer sends and what is sent to it.</summary>
    public void AddSink(RelayLegId leg, IMediaSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        Update(route => leg == RelayLegId.A
            ? route with { SinksA = [.. route.SinksA, sink] }
            : route with { SinksB = [.. route.SinksB, sink] });
    }

    /// <summary>Removes a sink; after this returns, packets being handled may still reach it once.</summary>
    public void RemoveSink(RelayLegId leg, IMediaSink sink) =>
        Update(route => leg == RelayLegId.A
            ? route with { SinksA = Array.FindAll(route.SinksA, s => !ReferenceEquals(s, sink)) }
            : route with { SinksB = Array.FindAll(route.SinksB, s => !ReferenceEquals(s, sink)) });

    /// <summary>Sets who is told about RFC 4733 telephone events received on either leg, and decides whether each is relayed.</summary>
    public void SetTelephoneEventObserver(ITelephoneEventObserver? observer) =>
        Update(route => route with { TelephoneEventObserver = observer });

    /// <summary>
    /// Sends a packet from another source (an announcement player) to <paramref name="to"/>'s
    /// peer, as part of the same continuous stream. Pause the relayed direction first
    /// (<see cref="SetForwarding"/>) or the two sources alternate and each change is a switch.
    /// </summary>
    /// <param name="to">The leg whose peer hears the packet.</param>
    /// <param name="rtpPacket">A whole RTP packet in the leg's codec, owned by the caller; its
    /// header is rewritten in place (SSRC, sequence, timestamp, marker) and it is not kept after
    /// return.</param>
    /// <param name="sourceId">Identifies the source, not 0; a new id marks a switch.</param>
    /// <returns>False when the packet was not sent (malformed, no destination yet, contended, send error).</returns>
    public bool Inject(RelayLegId to, Span<byte> rtpPacket, int sourceId)
    {
        ArgumentOutOfRangeException.ThrowIfEqual(sourceId, RelaySourceId);
        if (!RtpPacket.TryParse(rtpPacket, out RtpPacket packet))
        {
            return false;
        }

        // The direction toward the leg: its stream, socket, counters and sinks.
        RtpDirection direction = DirectionFrom(to == RelayLegId.A ? RelayLegId.B : RelayLegId.A);
        SocketAddress? destination = direction.DestinationLatch.Destination;
        if (destination is null)
        {
            return false;
        }

        return Send(direction, packet, packet.PayloadType, sourceId, destination, _time.GetTimestamp(), ImmediateSender.Instance);
    }

    /// <summary>Stops receiving, closes the four sockets and frees their ports.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _driver.RemoveAll(_sockets);

        LegA.Sockets.Dispose();
        LegB.Sockets.Dispose();
    }

    /// <summary>Handles one RTP datagram received on <paramref name="from"/>, relaying it with an immediate send.</summary>
    internal void OnRtp(RelayLeg from, Span<byte> datagram, SocketAddress source, Span<byte> scratch) =>
        OnRtp(from, datagram, source, _time.GetTimestamp(), scratch, ImmediateSender.Instance);

    internal void OnRtp(RelayLeg from, Span<byte> datagram, SocketAddress source, Span<byte> scratch, IRelaySender sender) =>
        OnRtp(from, datagram, source, _time.GetTimestamp(), scratch, sender);

    internal void OnRtp(RelayLeg from, Span<byte> datagram, SocketAddress source, long now, Span<byte> scratch, IRelaySender sender) =>
        OnRtp(DirectionFrom(from.Id), datagram, source, now, scratch, sender);

    /// <summary>
    /// The RTP path: one packet received from <paramref name="direction"/>'s source leg. Static,
    /// and reading the session only on rare branches: what it reads is in the direction and the
    /// few objects it names (<see cref="RtpDirection"/>).
    /// </summary>
    private static void OnRtp(RtpDirection direction, Span<byte> datagram, SocketAddress source, long now, Span<byte> scratch, IRelaySender sender)
    {
        LegCounterSet counters = direction.FromCounters;

        // RTCP multiplexed on the RTP port (RFC 5761) is not negotiated by us: refuse it rather
        // than relay it as RTP with a rewritten "header".
        if (RtpPacket.LooksLikeRtcp(datagram) || !RtpPacket.TryParse(datagram, out RtpPacket packet))
        {
            Interlocked.Increment(ref counters.DroppedMalformed);
            return;
        }

        LatchState latch = direction.SourceLatch;
        bool wasLatched = !direction.ConnectLatched || latch.IsLatched;
        if (!latch.Accept(source, now))
        {
            Interlocked.Increment(ref counters.DroppedUnexpectedSource);
            return;
        }

        if (!wasLatched)
        {
            direction.Session.ConnectLatched(direction.FromId, latch);
        }

        counters.CountReceived(datagram.Length, now);
        Volatile.Write(ref counters.InboundSsrc, packet.Ssrc);
        Deliver(direction.FromSinks, datagram, MediaDirection.Received, counters);

        int telephoneEventPayloadType = direction.FromTelephoneEventPayloadType;
        bool isTelephoneEvent = telephoneEventPayloadType >= 0 && packet.PayloadType == telephoneEventPayloadType;
        if (isTelephoneEvent)
        {
            Interlocked.Increment(ref counters.TelephoneEvents);
            if (!NotifyTelephoneEvent(direction.TelephoneEventObserver, direction.FromId, counters, packet))
            {
                Interlocked.Increment(ref counters.TelephoneEventsWithheld);
                Omit(direction.Rewriter, packet, direction.Forwards);
                return;
            }
        }

        SocketAddress? destination = direction.DestinationLatch.Destination;
        if (!direction.Forwards || destination is null)
        {
            Interlocked.Increment(ref counters.DroppedPaused);
            return;
        }

        int payloadType = packet.PayloadType;
        if (isTelephoneEvent)
        {
            // RFC 4733 events pass unchanged: only the payload type is the other leg's.
            if (direction.ToTelephoneEventPayloadType >= 0)
            {
                payloadType = direction.ToTelephoneEventPayloadType;
            }
        }
        else if (payloadType == direction.FromAudioPayloadType)
        {
            payloadType = direction.ToAudioPayloadType;
            IPayloadTranscoder? transcoder = direction.Transcoder;
            if (transcoder is not null && !TryTranscode(transcoder, packet, scratch, out packet))
            {
                Interlocked.Increment(ref counters.DroppedMalformed);
                return;
            }
        }

        Send(direction, packet, payloadType, RelaySourceId, destination, now, sender);
    }

    internal void OnRtcp(RelayLeg from, Span<byte> datagram, SocketAddress source, long now, IRelaySender sender)
    {
        RelayRoute route = Volatile.Read(ref _route);
        LegCounterSet counters = from.CounterSet;
        if (!RtcpPacket.IsValidCompound(datagram))
        {
            Interlocked.Increment(ref counters.DroppedMalformed);
            return;
        }

        if (!route.RtcpLatch(from.Id).Accept(source, now))
        {
            Interlocked.Increment(ref counters.DroppedUnexpectedSource);
            return;
        }

        Interlocked.Increment(ref counters.RtcpPacketsIn);
        RelayLeg to = from.Id == RelayLegId.A ? LegB : LegA;
        SocketAddress? destination = route.RtcpLatch(to.Id).Destination;
        if (!route.Forwards(from.Id) || destination is null)
        {
            return;
        }

        // The far end must be able to match the reports with the streams it knows: the sender
        // is our stream towards it, the reported stream is the one it sends (RFC 3550 §6.4).
        uint senderSsrc = to.Outbound.Ssrc;
        uint inbound = to.InboundSsrc;
        uint? reportedSsrc = inbound == 0 ? null : inbound;
        int offset = 0;
        while (RtcpPacket.TryReadNext(datagram, ref offset, out RtcpPacket packet))
        {
            if (packet.PacketType == RtcpPacketType.SenderReport)
            {
                packet.SenderReportRtpTimestamp = to.Outbound.MapTimestamp(packet.SenderReportRtpTimestamp);
            }

            packet.RewriteSsrcs(senderSsrc, reportedSsrc);
        }

        sender.Send(_sockets[SocketIndex(to.Id, rtcp: true)], datagram, destination, to.CounterSet, rtcp: true);
    }

    private static bool Send(RtpDirection direction, RtpPacket packet, int payloadType, int sourceId, SocketAddress destination, long now, IRelaySender sender)
    {
        LegCounterSet counters = direction.ToCounters;
        RtpStreamRewriter rewriter = direction.Rewriter;

        // Two sources write this stream only around a switch (relay and announcement): the
        // loser drops its packet rather than wait (no lock on the packet path).
        if (!rewriter.TryAcquire())
        {
            Interlocked.Increment(ref counters.DroppedContended);
            return false;
        }

        try
        {
            rewriter.Rewrite(packet, sourceId, direction.ToClockRate, now);
            packet.PayloadType = payloadType;
            if (!sender.Send(direction.ToSocket, packet.Data, destination, counters, rtcp: false))
            {
                return false;
            }
        }
        finally
        {
            rewriter.Release();
        }

        Deliver(direction.ToSinks, packet.Data, MediaDirection.Sent, counters);
        return true;
    }

    /// <summary>The RTP direction whose packets <paramref name="from"/>'s peer sends, as its socket's handler has it now.</summary>
    private RtpDirection DirectionFrom(RelayLegId from) => (from == RelayLegId.A ? _rtpA : _rtpB).Direction;

    private static int SocketIndex(RelayLegId leg, bool rtcp) => (leg == RelayLegId.A ? 0 : 2) + (rtcp ? 1 : 0);

    /// <summary>
    /// Connects the leg's RTP socket to the peer it just latched onto. Signalling may have
    /// replaced the latch meanwhile (<see cref="Configure"/> disconnects after swapping the
    /// route): checked after connecting, so that the socket never stays connected to a stale
    /// peer and deaf to the new one.
    /// </summary>
    private void ConnectLatched(RelayLegId leg, LatchState latch)
    {
        RelaySocket socket = _sockets[SocketIndex(leg, rtcp: false)];
        if (latch.Destination is not { } peer || !socket.Connect(peer))
        {
            return;
        }

        if (!ReferenceEquals(Volatile.Read(ref _route).RtpLatch(leg), latch))
        {
            socket.Disconnect();
        }
    }

    /// <summary>A withheld packet leaves no hole in the numbering of the outgoing stream (the receiver hears a pause, not a loss).</summary>
    private static void Omit(RtpStreamRewriter rewriter, RtpPacket packet, bool forwarding)
    {
        if (forwarding && rewriter.TryAcquire())
        {
            try
            {
                rewriter.Omit(packet.SequenceNumber, packet.Ssrc, RelaySourceId);
            }
            finally
            {
                rewriter.Release();
            }
        }
    }

    private static bool TryTranscode(IPayloadTranscoder transcoder, RtpPacket packet, Span<byte> scratch, out RtpPacket transcoded)
    {
        transcoded = default;
        int headerLength = packet.HeaderLength;
        Span<byte> payload = packet.Payload;
        if (headerLength + transcoder.GetMaxOutputLength(payload.Length) > scratch.Length)
        {
            return false;
        }

        packet.Data.Slice(0, headerLength).CopyTo(scratch);
        scratch[0] &= 0xDF; // padding is not carried over
        int written = transcoder.Transcode(payload, scratch.Slice(headerLength));
        return written >= 0 && RtpPacket.TryParse(scratch.Slice(0, headerLength + written), out transcoded);
    }

    private static void Deliver(IMediaSink[] sinks, ReadOnlySpan<byte> packet, MediaDirection direction, LegCounterSet counters)
    {
        foreach (IMediaSink sink in sinks)
        {
            try
            {
                sink.OnPacket(packet, direction);
            }
            catch (Exception)
            {
                // A sink broke its contract; the call's audio must not suffer for it.
                Interlocked.Increment(ref counters.SinkFaults);
            }
        }
    }

    /// <returns>Whether the packet is to be relayed.</returns>
    private static bool NotifyTelephoneEvent(ITelephoneEventObserver? observer, RelayLegId from, LegCounterSet counters, RtpPacket packet)
    {
        if (observer is null || packet.Payload.Length < Dtmf.TelephoneEvent.Length)
        {
            return true;
        }

        try
        {
            return observer.OnTelephoneEvent(from, packet.Timestamp, packet.Payload);
        }
        catch (Exception)
        {
            Interlocked.Increment(ref counters.SinkFaults);
            return true;
        }
    }

    private LatchState NewLatch(IPEndPoint? expected, RelayLegSettings settings, long? now = null) =>
        new(expected, settings.Latch, (now ?? _time.GetTimestamp()) + (long)(settings.LatchAnyWindow.TotalSeconds * _time.TimestampFrequency));

    /// <summary>
    /// Swaps in the route <paramref name="change"/> makes of the current one, and the two RTP
    /// directions built from it. Signalling's threads only, one at a time: two changes at once
    /// must not publish their directions in the opposite order to their routes.
    /// </summary>
    private void Update(Func<RelayRoute, RelayRoute> change)
    {
        lock (_updating)
        {
            RelayRoute next = change(_route);
            Volatile.Write(ref _route, next);
            Publish(next);
        }
    }

    private void Publish(RelayRoute route)
    {
        _rtpA.Direction = new RtpDirection(this, route, LegA, LegB, _sockets[SocketIndex(RelayLegId.B, rtcp: false)], _connectLatched);
        _rtpB.Direction = new RtpDirection(this, route, LegB, LegA, _sockets[SocketIndex(RelayLegId.A, rtcp: false)], _connectLatched);
    }

    private sealed class Handler(RelaySession session, RelayLeg leg, bool rtcp) : IDatagramHandler
    {
        private volatile RtpDirection? _direction;

        /// <summary>The RTP direction from this handler's leg (RTP handlers only), swapped with the route.</summary>
        public RtpDirection Direction
        {
            get => _direction!;
            set => _direction = value;
        }

        public void OnDatagram(Span<byte> datagram, SocketAddress source, long receivedAt, Span<byte> scratch, IRelaySender sender)
        {
            try
            {
                if (rtcp)
                {
                    session.OnRtcp(leg, datagram, source, receivedAt, sender);
                }
                else
                {
                    OnRtp(_direction!, datagram, source, receivedAt, scratch, sender);
                }
            }
            catch (Exception)
            {
                // A receive loop serves many calls: a fault in one packet (a transcoder that
                // throws) must not stop it. The packet is lost and counted.
                Interlocked.Increment(ref leg.CounterSet.DroppedMalformed);
            }
        }

        public void OnTruncated() => Interlocked.Increment(ref leg.CounterSet.DroppedMalformed);
    }
}
