namespace CallSwitch.Media.Relay;

/// <summary>
/// Told about every RFC 4733 telephone-event packet a leg receives: each packet of an event,
/// retransmitted end packets included (§2.5.1.4). An event is identified by its RTP timestamp;
/// <see cref="Dtmf.DtmfEventDetector"/> turns the packets into one report per key press.
/// </summary>
/// <remarks>Called synchronously on the relay's receive thread; the payload is the relay's buffer, valid only during the call.</remarks>
public interface ITelephoneEventObserver
{
    /// <summary>One telephone-event packet arrived on <paramref name="leg"/>: its RTP timestamp and its 4-byte payload (RFC 4733 §2.3).</summary>
    void OnTelephoneEvent(RelayLegId leg, uint rtpTimestamp, ReadOnlySpan<byte> payload);
}
