namespace CallSwitch.Media.Relay;

/// <summary>
/// The live counters of a leg and the SSRC its peer sent last: what the packet path writes
/// about a leg, in one object. <see cref="PacketsIn"/>, <see cref="BytesIn"/>,
/// <see cref="LastPacketAt"/> and <see cref="InboundSsrc"/> have one writer, the receive loop
/// of the leg's RTP socket, which stores them whole (<see cref="Volatile"/>); the others are
/// incremented with interlocked operations from any thread (the relay's loops, an announcement
/// sending on the leg). Readers use <c>Interlocked.Read</c>.
/// </summary>
internal sealed class LegCounterSet
{
    /// <summary>The SSRC the leg's peer sent last (0 before its first packet); written by the leg's receive loop.</summary>
    public uint InboundSsrc;

    public long PacketsIn;
    public long BytesIn;
    public long PacketsOut;
    public long BytesOut;
    public long RtcpPacketsIn;
    public long RtcpPacketsOut;
    public long DroppedUnexpectedSource;
    public long DroppedMalformed;
    public long DroppedPaused;
    public long DroppedContended;
    public long SendErrors;
    public long TelephoneEvents;
    public long TelephoneEventsWithheld;
    public long SinkFaults;
    public long LastPacketAt;

    /// <summary>
    /// Counts an accepted RTP datagram of <paramref name="length"/> octets received at
    /// <paramref name="now"/>. Only by the receive loop of the leg's RTP socket, their one writer:
    /// no locked instruction (each would wait for the stores before it), a whole 64-bit store for
    /// the readers.
    /// </summary>
    public void CountReceived(int length, long now)
    {
        Volatile.Write(ref PacketsIn, PacketsIn + 1);
        Volatile.Write(ref BytesIn, BytesIn + length);
        Volatile.Write(ref LastPacketAt, now);
    }

    public RelayLegCounters Snapshot() => new(
        Interlocked.Read(ref PacketsIn),
        Interlocked.Read(ref BytesIn),
        Interlocked.Read(ref PacketsOut),
        Interlocked.Read(ref BytesOut),
        Interlocked.Read(ref RtcpPacketsIn),
        Interlocked.Read(ref RtcpPacketsOut),
        Interlocked.Read(ref DroppedUnexpectedSource),
        Interlocked.Read(ref DroppedMalformed),
        Interlocked.Read(ref DroppedPaused),
        Interlocked.Read(ref DroppedContended),
        Interlocked.Read(ref SendErrors),
        Interlocked.Read(ref TelephoneEvents),
        Interlocked.Read(ref TelephoneEventsWithheld),
        Interlocked.Read(ref SinkFaults),
        Interlocked.Read(ref LastPacketAt));
}
