using CallSwitch.Media.Rtp;

namespace CallSwitch.Media.Relay;

/// <summary>
/// Told about every RFC 4733 telephone-event packet a leg receives (each packet of an event,
/// retransmitted end packets included, §2.5.1.4: de-duplicate on <see cref="TelephoneEvent.Timestamp"/>).
/// </summary>
/// <remarks>Called synchronously on the relay's receive thread: copy the value and return at once.</remarks>
public interface ITelephoneEventObserver
{
    /// <summary>One telephone-event packet arrived on <paramref name="leg"/>.</summary>
    void OnTelephoneEvent(RelayLegId leg, TelephoneEvent telephoneEvent);
}
