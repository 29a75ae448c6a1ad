using System.Net;

namespace CallSwitch.Sip.Transport;

/// <summary>
/// Where a message came from or goes to: the protocol, our local listening end point and the
/// peer's end point. For TCP the pair names the connection, so a response or a request to an
/// agent reuses the connection the agent opened (RFC 3261 §18.2.2, RFC 5923 style).
/// </summary>
public readonly record struct SipFlow(SipProtocol Protocol, IPEndPoint Local, IPEndPoint Remote)
{
    /// <summary>True for a reliable (stream) protocol: no retransmissions (RFC 3261 §17).</summary>
    public bool IsReliable => Protocol != SipProtocol.Udp;

    /// <inheritdoc />
    public override string ToString() => $"{Protocol.ToString().ToUpperInvariant()} {Local}<->{Remote}";
}
