using System.Net;
using System.Net.Sockets;
using CallSwitch.Media.Mixing;
using CallSwitch.Media.Rtp;

namespace CallSwitch.Media.Relay;

/// <summary>
/// A one-legged media end point on the relay: the switch's own side of a call it answers
/// itself, such as a supervisor's. It receives on its own RTP/RTCP socket pair, latches onto
/// the peer as a relay leg does, hands the peer's RTP to a sink (the mixer's input) and its
/// RFC 4733 events to an observer (mode keys), and sends what the mixer gives it as one
/// continuous stream of ours.
/// </summary>
/// <remarks>
/// Threads and buffers as in <see cref="RelaySession"/>: configuration from signalling
/// (swapped atomically), packets on the relay's receive threads in the receive loop's buffer,
/// <see cref="Send"/> on the caller's (tick) thread with the caller's buffer; no allocation per
/// packet. RTCP from the peer is accepted and counted, not relayed: nobody else sees this stream.
/// </remarks>
public sealed class RelayEndpoint : IMixOutlet, IDisposable
{
    private const int MixSourceId = 1;

    private readonly IRelaySocketDriver _driver;
    private readonly TimeProvider _time;
    private readonly RelaySocket[] _sockets;
    private readonly RtpSocketPair _pair;
    private readonly LegCounterSet _counters = new();
    private readonly RtpStreamRewriter _outbound;
    private EndpointRoute _route;
    private int _disposed;

    internal RelayEndpoint(IRelaySocketDriver driver, TimeProvider time, RtpSocketPair sockets)
    {
        _driver = driver;
        _time = time;
        _pair = sockets;
        _outbound = RtpStreamRewriter.CreateRandom(time);
        var none = new RelayLegSettings();
        _route = new EndpointRoute(none, new LatchState(null, none.Latch, 0), null, null);
        int affinity = RelaySocket.NextAffinity();
        _sockets =
        [
            new RelaySocket(sockets.Rtp, new Handler(this, rtcp: false), $"E {sockets.RtpPort}") { Affinity = affinity },
            new RelaySocket(sockets.Rtcp, new Handler(this, rtcp: true), $"E {sockets.RtcpPort}") { Affinity = affinity },
        ];
        _driver.AddAll(_sockets);
    }

    /// <summary>The local RTP end point to offer in SDP (RTCP on the next port).</summary>
    public IPEndPoint LocalRtpEndPoint => _pair.LocalRtpEndPoint;

    /// <summary>The current counters (in: from the peer; out: sent to it).</summary>
    public RelayLegCounters Counters => _counters.Snapshot();

    /// <summary>Sets what signalling negotiated with the peer; a changed remote starts a new latch.</summary>
    public void Configure(RelayLegSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        long now = _time.GetTimestamp();
        Update(route =>
        {
            bool relatch = !Equals(route.Settings.RemoteRtp, settings.RemoteRtp) || route.Settings.Latch != settings.Latch;
            LatchState latch = relatch
                ? new LatchState(settings.RemoteRtp, settings.Latch, now + (long)(settings.LatchAnyWindow.TotalSeconds * _time.TimestampFrequency))
                : route.Latch;
            return route with { Settings = settings, Latch = latch };
        });
    }

    /// <summary>Sets who receives the peer's RTP packets (null: nobody).</summary>
    public void SetSink(IMediaSink? sink) => Update(route => route with { Sink = sink });

    /// <summary>Sets who is told about the peer's RFC 4733 events (reported as leg <see cref="RelayLegId.A"/>).</summary>
    public void SetTelephoneEventObserver(ITelephoneEventObserver? observer) => Update(route => route with { Observer = observer });

    /// <summary>Sends one RTP packet to the peer; its header is rewritten in place into our stream.</summary>
    public bool Send(Span<byte> rtpPacket)
    {
        EndpointRoute route = Volatile.Read(ref _route);
        SocketAddress? destination = route.Latch.Destination;
        if (destination is null || !RtpPacket.TryParse(rtpPacket, out RtpPacket packet))
        {
            return false;
        }

        if (!_outbound.TryAcquire())
        {
            Interlocked.Increment(ref _counters.DroppedContended);
            return false;
        }

        try
        {
            _outbound.Rewrite(packet, MixSourceId, route.Settings.ClockRate);
            _pair.Rtp.SendTo(packet.Data, SocketFlags.None, destination);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            Interlocked.Increment(ref _counters.SendErrors);
            return false;
        }
        finally
        {
            _outbound.Release();
        }

        Interlocked.Increment(ref _counters.PacketsOut);
        Interlocked.Add(ref _counters.BytesOut, packet.Length);
        return true;
    }

    /// <summary>Stops receiving, closes the sockets and frees their ports.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _driver.RemoveAll(_sockets);

        _pair.Dispose();
    }

    internal void OnRtp(Span<byte> datagram, SocketAddress source, long now)
    {
        EndpointRoute route = Volatile.Read(ref _route);
        if (RtpPacket.LooksLikeRtcp(datagram) || !RtpPacket.TryParse(datagram, out RtpPacket packet))
        {
            Interlocked.Increment(ref _counters.DroppedMalformed);
            return;
        }

        if (!route.Latch.Accept(source, now))
        {
            Interlocked.Increment(ref _counters.DroppedUnexpectedSource);
            return;
        }

        _counters.CountReceived(datagram.Length, now);
        int eventType = route.Settings.TelephoneEventPayloadType;
        if (eventType >= 0 && packet.PayloadType == eventType)
        {
            Interlocked.Increment(ref _counters.TelephoneEvents);
            if (route.Observer is not null && packet.Payload.Length >= Dtmf.TelephoneEvent.Length)
            {
                route.Observer.OnTelephoneEvent(RelayLegId.A, packet.Timestamp, packet.Payload);
            }

            return;
        }

        route.Sink?.OnPacket(datagram, MediaDirection.Received);
    }

    private void Update(Func<EndpointRoute, EndpointRoute> change)
    {
        while (true)
        {
            EndpointRoute current = Volatile.Read(ref _route);
            if (ReferenceEquals(Interlocked.CompareExchange(ref _route, change(current), current), current))
            {
                return;
            }
        }
    }

    private sealed record EndpointRoute(RelayLegSettings Settings, LatchState Latch, IMediaSink? Sink, ITelephoneEventObserver? Observer);

    private sealed class Handler(RelayEndpoint endpoint, bool rtcp) : IDatagramHandler
    {
        public void OnDatagram(Span<byte> datagram, SocketAddress source, long receivedAt, Span<byte> scratch, IRelaySender sender)
        {
            try
            {
                if (rtcp)
                {
                    Interlocked.Increment(ref endpoint._counters.RtcpPacketsIn);
                }
                else
                {
                    endpoint.OnRtp(datagram, source, receivedAt);
                }
            }
            catch (Exception)
            {
                // A receive loop serves many calls: a faulty sink or observer costs this packet only.
                Interlocked.Increment(ref endpoint._counters.SinkFaults);
            }
        }

        public void OnTruncated() => Interlocked.Increment(ref endpoint._counters.DroppedMalformed);
    }
}
