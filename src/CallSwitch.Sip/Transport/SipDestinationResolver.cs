using System.Net;
using CallSwitch.Sip.Messages;

namespace CallSwitch.Sip.Transport;

/// <summary>
/// Where a request to a SIP URI goes (a subset of RFC 3263 §4 without NAPTR and SRV): the
/// <c>maddr</c> parameter or the host, the port or the protocol's default, the protocol from the
/// <c>transport</c> parameter (UDP when absent, TLS for a sips URI). Thread-safe.
/// </summary>
public sealed class SipDestinationResolver
{
    private readonly ISipHostResolver _hosts;

    /// <summary>Creates a resolver; host names go to <paramref name="hosts"/> (by default only localhost is known).</summary>
    public SipDestinationResolver(ISipHostResolver? hosts = null) => _hosts = hosts ?? LiteralHostResolver.Instance;

    /// <summary>
    /// The flow (protocol and remote end point, local unspecified) for a request to <paramref name="uri"/>,
    /// which is the Request-URI or, with a loose-routing proxy, the first Route (RFC 3261 §8.1.2).
    /// </summary>
    /// <exception cref="SipTransportException">The transport is unsupported or the host has no address.</exception>
    public async ValueTask<SipFlow> ResolveAsync(SipUri uri, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(uri);
        SipProtocol protocol = ProtocolOf(uri);

        // RFC 3261 §19.1.1: maddr overrides the host for where the request is sent.
        string host = uri.Parameters.Get("maddr") ?? uri.Host;
        int port = uri.Port ?? SipRouting.DefaultPortOf(protocol);
        if (!SipRouting.TryParseHost(host, out IPAddress? address))
        {
            IReadOnlyList<IPAddress> addresses = await _hosts.ResolveAsync(host, cancellationToken).ConfigureAwait(false);
            if (addresses.Count == 0)
            {
                throw new SipTransportException($"Cannot resolve {host}");
            }

            address = addresses[0];
        }

        return SipFlow.ToRemote(protocol, new IPEndPoint(address, port));
    }

    /// <summary>The protocol of a URI (RFC 3263 §4.1 when the host is an address or a port is given).</summary>
    /// <exception cref="SipTransportException">The transport parameter names a protocol we do not carry.</exception>
    public static SipProtocol ProtocolOf(SipUri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        string? transport = uri.Transport;
        if (uri.IsSecure)
        {
            // A sips URI is TLS all the way (RFC 3261 §26.2.2); transport=tcp is the old spelling of that.
            return transport is null or "tcp" or "tls" ? SipProtocol.Tls : throw new SipTransportException($"sips URI with transport={transport}");
        }

        return transport switch
        {
            null or "udp" => SipProtocol.Udp,
            "tcp" => SipProtocol.Tcp,
            "tls" => SipProtocol.Tls,
            _ => throw new SipTransportException($"Unsupported transport={transport}"),
        };
    }
}
