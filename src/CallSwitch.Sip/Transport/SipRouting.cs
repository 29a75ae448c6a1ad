using System.Globalization;
using System.Net;
using System.Net.Sockets;
using CallSwitch.Sip.Messages;

namespace CallSwitch.Sip.Transport;

/// <summary>
/// Via processing of the server transport (RFC 3261 §18.2.1, RFC 3581 §4) and the destination of
/// responses (RFC 3261 §18.2.2, RFC 3581 §4). Pure functions, thread-safe.
/// </summary>
public static class SipRouting
{
    /// <summary>The default SIP port for UDP and TCP (RFC 3261 §19.1.2).</summary>
    public const int DefaultPort = 5060;

    /// <summary>The default SIP port for TLS.</summary>
    public const int DefaultTlsPort = 5061;

    /// <summary>The default port of <paramref name="protocol"/>.</summary>
    public static int DefaultPortOf(SipProtocol protocol) => protocol == SipProtocol.Tls ? DefaultTlsPort : DefaultPort;

    /// <summary>
    /// Stamps the top Via of a received request with where the request really came from: adds
    /// <c>received</c> when the sent-by host is a name or another address than the packet source
    /// (RFC 3261 §18.2.1), and when <c>rport</c> is present without a value fills it with the source
    /// port and adds <c>received</c> in any case (RFC 3581 §4). The message caches are reset and the
    /// top Via cached as it now reads (one parse of it per received request).
    /// </summary>
    /// <returns>False when the request has no parsable top Via (it cannot be answered).</returns>
    public static bool StampTopVia(SipRequest request, IPEndPoint source)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(source);
        int index = request.Headers.IndexOf(HeaderId.Via);
        if (index < 0)
        {
            return false;
        }

        // The top Via may share its line with others: "Via: a, b" (RFC 3261 §7.3.1).
        var values = new List<string>(2);
        HeaderValueSplitter.Split(request.Headers.ValueAt(index), values);
        if (values.Count == 0 || !ViaHeader.TryParse(values[0], out var via))
        {
            return false;
        }

        IPAddress sourceAddress = source.Address.IsIPv4MappedToIPv6 ? source.Address.MapToIPv4() : source.Address;

        // received holds the bare address, without brackets even for IPv6 (RFC 3261 §20.42 grammar, RFC 5118 §4.5).
        string received = sourceAddress.ToString();
        bool changed = false;
        if (!TryParseHost(via.Host, out IPAddress? sentBy) || !sentBy.Equals(sourceAddress))
        {
            via.Parameters.Set("received", received);
            changed = true;
        }

        if (via.HasRPort && via.RPort is null)
        {
            via.Parameters.Set("rport", source.Port.ToString(CultureInfo.InvariantCulture));
            via.Parameters.Set("received", received);
            changed = true;
        }

        if (changed)
        {
            values[0] = via.ToString();
            request.Headers.ReplaceAt(index, string.Join(", ", values));
            request.InvalidateCaches();
        }

        // The Via parsed here is the top one as it now reads: the validator and the transaction
        // layer use it rather than parse it again (three parses per request before).
        request.CacheTopVia(via);
        return true;
    }

    /// <summary>
    /// Where a response to a request received on <paramref name="requestFlow"/> goes, from the
    /// top Via of the request (or of the response, which copies it), per RFC 3261 §18.2.2 and RFC 3581 §4:
    /// <list type="bullet">
    /// <item>reliable: back on the connection the request came on;</item>
    /// <item>unreliable with <c>maddr</c>: to the maddr address, sent-by port (or 5060);</item>
    /// <item>unreliable with <c>received</c>: to that address, at the <c>rport</c> port when
    /// present, else the sent-by port (or 5060);</item>
    /// <item>otherwise: to the sent-by address and port.</item>
    /// </list>
    /// The local end point stays the one the request arrived on: RFC 3581 §4 requires a response
    /// to come from the address and port the request was sent to.
    /// </summary>
    public static SipFlow GetResponseFlow(ViaHeader topVia, SipFlow requestFlow)
    {
        ArgumentNullException.ThrowIfNull(topVia);
        if (requestFlow.IsReliable)
        {
            return requestFlow;
        }

        int sentByPort = topVia.Port ?? DefaultPortOf(requestFlow.Protocol);
        if (topVia.MAddr is string maddr && TryParseHost(maddr, out IPAddress? multicast))
        {
            return requestFlow with { Remote = new IPEndPoint(multicast, sentByPort) };
        }

        IPAddress address = requestFlow.Remote.Address;
        if (topVia.Received is string received && TryParseHost(received, out IPAddress? receivedAddress))
        {
            address = receivedAddress;
        }
        else if (TryParseHost(topVia.Host, out IPAddress? sentBy))
        {
            address = sentBy;
        }

        // A name in sent-by without received cannot happen for a request we stamped; the
        // source address is the best answer then.
        int port = topVia.RPort ?? sentByPort;
        return requestFlow with { Remote = new IPEndPoint(address, port) };
    }

    /// <summary>
    /// RFC 3261 §18.2.2: when the connection a reliable request came on is gone, the response goes
    /// on a new connection to the <c>received</c> address (or the source address) and the sent-by
    /// port (or the default port), from any local channel of the protocol.
    /// </summary>
    public static SipFlow GetReliableResponseFallback(ViaHeader topVia, SipFlow requestFlow)
    {
        ArgumentNullException.ThrowIfNull(topVia);
        IPAddress address = topVia.Received is string received && TryParseHost(received, out IPAddress? parsed)
            ? parsed
            : requestFlow.Remote.Address;
        int port = topVia.Port ?? DefaultPortOf(requestFlow.Protocol);
        return requestFlow with { Remote = new IPEndPoint(address, port) };
    }

    /// <summary>The protocol a Via transport names, or null for one we do not carry (SCTP, WS).</summary>
    public static SipProtocol? ProtocolOf(string viaTransport) => viaTransport.ToUpperInvariant() switch
    {
        "UDP" => SipProtocol.Udp,
        "TCP" => SipProtocol.Tcp,
        "TLS" => SipProtocol.Tls,
        _ => null,
    };

    /// <summary>The Via transport token of <paramref name="protocol"/> (RFC 3261 §20.42).</summary>
    public static string ViaTransportOf(SipProtocol protocol) => protocol switch
    {
        SipProtocol.Udp => "UDP",
        SipProtocol.Tcp => "TCP",
        _ => "TLS",
    };

    /// <summary>Parses an IP literal, with or without IPv6 brackets; false for a host name.</summary>
    internal static bool TryParseHost(string host, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IPAddress? address)
    {
        ReadOnlySpan<char> text = host.AsSpan().Trim();
        if (text.Length > 2 && text[0] == '[' && text[^1] == ']')
        {
            text = text[1..^1];
        }

        // IPAddress.TryParse also takes "1" or "0x7f.1" as IPv4; SIP hosts are dotted quads
        // (RFC 3261 §25.1) or IPv6 references, so anything else is a name.
        if (IPAddress.TryParse(text, out address) &&
            (address.AddressFamily == AddressFamily.InterNetworkV6 || text.Count('.') == 3))
        {
            return true;
        }

        address = null;
        return false;
    }
}
