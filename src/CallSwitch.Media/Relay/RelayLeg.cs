using System.Net;
using CallSwitch.Media.Rtp;

namespace CallSwitch.Media.Relay;

/// <summary>
/// One side of a relayed call: its own RTP/RTCP socket pair, the continuous stream we send to
/// its peer, and its counters. Created by <see cref="RelaySession"/>; read by anyone.
/// </summary>
public sealed class RelayLeg
{
    private readonly TimeProvider _time;
    private readonly long _createdAt;

    internal RelayLeg(RelayLegId id, RtpSocketPair sockets, TimeProvider time, long createdAt)
    {
        _createdAt = createdAt;
        Id = id;
        Sockets = sockets;
        _time = time;
        Outbound = RtpStreamRewriter.CreateRandom(time);
    }

    /// <summary>A (agent) or B (prospect/trunk).</summary>
    public RelayLegId Id { get; }

    /// <summary>The local RTP end point to offer in this leg's SDP (RTCP is on the next port).</summary>
    public IPEndPoint LocalRtpEndPoint => Sockets.LocalRtpEndPoint;

    /// <summary>Our SSRC towards this leg's peer: fixed for the whole call, whatever feeds the stream.</summary>
    public uint OutboundSsrc => Outbound.Ssrc;

    /// <summary>The SSRC this leg's peer sent last (0 before its first packet).</summary>
    public uint InboundSsrc => Volatile.Read(ref CounterSet.InboundSsrc);

    /// <summary>The current counters.</summary>
    public RelayLegCounters Counters => CounterSet.Snapshot();

    /// <summary>
    /// Time since the peer's last accepted RTP packet, or since the session was created when
    /// none came yet: what the "no RTP for N seconds ends the call" timer reads.
    /// </summary>
    public TimeSpan SilenceDuration
    {
        get
        {
            long last = Interlocked.Read(ref CounterSet.LastPacketAt);
            return _time.GetElapsedTime(last == 0 ? _createdAt : last);
        }
    }

    internal RtpSocketPair Sockets { get; }

    internal RtpStreamRewriter Outbound { get; }

    internal LegCounterSet CounterSet { get; } = new();
}
