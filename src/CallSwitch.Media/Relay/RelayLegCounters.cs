namespace CallSwitch.Media.Relay;

/// <summary>A snapshot of one leg's counters (each value read atomically, the set not as a whole).</summary>
/// <param name="PacketsIn">RTP packets accepted from the leg's peer.</param>
/// <param name="BytesIn">Their bytes.</param>
/// <param name="PacketsOut">RTP packets sent to the leg's peer (relayed and injected).</param>
/// <param name="BytesOut">Their bytes.</param>
/// <param name="RtcpPacketsIn">RTCP datagrams accepted from the peer.</param>
/// <param name="RtcpPacketsOut">RTCP datagrams sent to the peer.</param>
/// <param name="DroppedUnexpectedSource">Datagrams from a source other than the latched (or expected) one.</param>
/// <param name="DroppedMalformed">Datagrams that are not valid RTP/RTCP, or that a transcoder refused.</param>
/// <param name="DroppedPaused">Packets from the peer not forwarded: the direction is paused or the other leg has no destination yet.</param>
/// <param name="DroppedContended">Packets for this leg dropped because another source was writing the stream at the same instant (only during a source switch).</param>
/// <param name="SendErrors">Sends to the peer that the socket refused.</param>
/// <param name="TelephoneEvents">RFC 4733 packets received from the peer.</param>
/// <param name="TelephoneEventsWithheld">Of those, packets the telephone-event observer kept from the other leg (the agent's control keys).</param>
/// <param name="SinkFaults">Exceptions thrown by sinks or observers (a contract breach; the packet went on).</param>
/// <param name="LastPacketAt">TimeProvider timestamp of the last accepted RTP packet from the peer; 0 if none.</param>
public readonly record struct RelayLegCounters(
    long PacketsIn,
    long BytesIn,
    long PacketsOut,
    long BytesOut,
    long RtcpPacketsIn,
    long RtcpPacketsOut,
    long DroppedUnexpectedSource,
    long DroppedMalformed,
    long DroppedPaused,
    long DroppedContended,
    long SendErrors,
    long TelephoneEvents,
    long TelephoneEventsWithheld,
    long SinkFaults,
    long LastPacketAt);
