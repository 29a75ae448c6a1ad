using System.Net;
using System.Net.Sockets;

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

    /// <summary>
    /// True when <see cref="Local"/> names one channel; false when it is null or the unspecified
    /// address with port 0, in which case the transport picks any channel of the protocol and
    /// address family of <see cref="Remote"/>.
    /// </summary>
    public bool HasLocal => Local is not null && !(Local.Port == 0 && (Local.Address.Equals(IPAddress.Any) || Local.Address.Equals(IPAddress.IPv6Any)));

    /// <summary>A flow to <paramref name="remote"/> from whichever local channel of <paramref name="protocol"/> fits.</summary>
    public static SipFlow ToRemote(SipProtocol protocol, IPEndPoint remote)
    {
        ArgumentNullException.ThrowIfNull(remote);
        var any = remote.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any;
        return new SipFlow(protocol, new IPEndPoint(any, 0), remote);
    }

    /// <inheritdoc />
    public override string ToString() => $"{Protocol.ToString().ToUpperInvariant()} {Local}<->{Remote}";
}
