namespace CallSwitch.Media.Relay;

/// <summary>
/// Told about every RFC 4733 telephone-event packet a leg receives: each packet of an event,
/// retransmitted end packets included (§2.5.1.4). An event is identified by its RTP timestamp;
/// <see cref="Dtmf.DtmfEventDetector"/> turns the packets into one report per key press.
/// </summary>
/// <remarks>
/// Called synchronously on the relay's receive thread, before the packet is forwarded; the
/// payload is the relay's buffer, valid only during the call. Must not block nor allocate: it
/// runs once per packet. An observer that throws is counted as a sink fault and the packet is
/// relayed.
/// </remarks>
public interface ITelephoneEventObserver
{
    /// <summary>One telephone-event packet arrived on <paramref name="leg"/>: its RTP timestamp and its 4-byte payload (RFC 4733 §2.3).</summary>
    /// <returns>True to relay the packet to the other leg as usual; false to withhold it (e.g. a
    /// key of a control sequence the other party must not hear). Sinks have seen it either way.</returns>
    bool OnTelephoneEvent(RelayLegId leg, uint rtpTimestamp, ReadOnlySpan<byte> payload);
}
