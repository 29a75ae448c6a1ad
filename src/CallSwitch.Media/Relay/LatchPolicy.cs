namespace CallSwitch.Media.Relay;

/// <summary>
/// How a leg picks the address it sends to (symmetric RTP, RFC 4961; "latching" for peers
/// behind NAT, RFC 7362 §4). Once latched, packets from any other source are dropped.
/// </summary>
public enum LatchPolicy
{
    /// <summary>
    /// Latch on the first packet whose source IP is the IP of the SDP; the port may differ
    /// (a NAT rewrote it). Safe default: a third party cannot hijack the stream.
    /// </summary>
    StrictAddress = 0,

    /// <summary>
    /// As <see cref="StrictAddress"/>, but during the first seconds after the remote is set
    /// (<see cref="RelayLegSettings.LatchAnyWindow"/>) the first packet from any source latches:
    /// for peers whose SDP carries a private address.
    /// </summary>
    AnySourceWithinWindow = 1,
}
