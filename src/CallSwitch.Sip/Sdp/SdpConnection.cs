using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace CallSwitch.Sip.Sdp;

/// <summary>
/// A <c>c=</c> line (RFC 4566 §5.7): <c>IN IP4 192.0.2.10</c>, <c>IN IP6 2001:db8::1</c>, or a multicast
/// address with TTL and count (<c>IN IP4 224.2.1.1/127/3</c>).
/// </summary>
/// <param name="NetworkType">Network type, <c>IN</c>.</param>
/// <param name="AddressType"><c>IP4</c> or <c>IP6</c> (extensions are kept as they came).</param>
/// <param name="Address">The address or FQDN, without the multicast suffixes.</param>
/// <param name="Ttl">IPv4 multicast TTL, when present.</param>
/// <param name="AddressCount">Number of multicast addresses, when present.</param>
public sealed record SdpConnection(
    string NetworkType,
    string AddressType,
    string Address,
    int? Ttl = null,
    int? AddressCount = null)
{
    /// <summary>Builds an <c>IN IP4</c> or <c>IN IP6</c> connection for a unicast address.</summary>
    public static SdpConnection FromAddress(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var type = address.AddressFamily == AddressFamily.InterNetworkV6 ? "IP6" : "IP4";
        return new SdpConnection("IN", type, address.ToString());
    }

    /// <summary>
    /// True for <c>0.0.0.0</c> (and the IPv6 equivalent <c>::</c>): the RFC 2543 way of putting a call on hold,
    /// still sent by many phones (RFC 3264 §8.4 keeps it as something an answerer must understand).
    /// </summary>
    public bool IsUnspecified =>
        Address == "0.0.0.0" || (IPAddress.TryParse(Address, out var ip) && ip.Equals(IPAddress.IPv6Any));

    /// <summary>True when <see cref="AddressType"/> is <c>IP6</c>.</summary>
    public bool IsIPv6 => string.Equals(AddressType, "IP6", StringComparison.OrdinalIgnoreCase);

    /// <summary>Gets the address as an <see cref="IPAddress"/>; false when it is an FQDN or of another family than declared.</summary>
    public bool TryGetIPAddress([NotNullWhen(true)] out IPAddress? address)
    {
        if (IPAddress.TryParse(Address, out var ip)
            && (ip.AddressFamily == AddressFamily.InterNetworkV6) == IsIPv6)
        {
            address = ip;
            return true;
        }

        address = null;
        return false;
    }

    /// <summary>Parses the value part of a <c>c=</c> line (or of the address part of <c>a=rtcp</c>).</summary>
    public static bool TryParse(ReadOnlySpan<char> value, [NotNullWhen(true)] out SdpConnection? connection, [NotNullWhen(false)] out string? error)
    {
        connection = null;
        Span<Range> parts = stackalloc Range[4];
        var count = value.Split(parts, ' ', StringSplitOptions.RemoveEmptyEntries);
        if (count != 3)
        {
            error = "connection must be '<nettype> <addrtype> <address>'";
            return false;
        }

        var networkType = value[parts[0]].ToString();
        var addressType = value[parts[1]].ToString();
        var full = value[parts[2]];
        var slash = full.IndexOf('/');
        var address = slash < 0 ? full : full[..slash];
        if (address.IsEmpty)
        {
            error = "connection address is empty";
            return false;
        }

        int? ttl = null;
        int? addressCount = null;
        if (slash >= 0)
        {
            // RFC 4566 §5.7: IPv4 multicast carries /ttl[/count]; IPv6 multicast only /count.
            var suffix = full[(slash + 1)..];
            var second = suffix.IndexOf('/');
            var isIPv6 = addressType.Equals("IP6", StringComparison.OrdinalIgnoreCase);
            if (!TryParseSmall(second < 0 ? suffix : suffix[..second], out var first)
                || (second >= 0 && (isIPv6 || !TryParseSmall(suffix[(second + 1)..], out _))))
            {
                error = $"bad multicast suffix in connection address '{full}'";
                return false;
            }

            if (isIPv6)
            {
                addressCount = first;
            }
            else
            {
                ttl = first;
                if (second >= 0)
                {
                    addressCount = int.Parse(suffix[(second + 1)..], NumberStyles.None, CultureInfo.InvariantCulture);
                }
            }
        }

        if (!IsAddressConsistent(addressType, address))
        {
            var shown = address.Length > 40 ? string.Concat(address[..40], "...") : address.ToString();
            error = $"'{shown}' is not a valid {addressType} address";
            return false;
        }

        connection = new SdpConnection(networkType, addressType, address.ToString(), ttl, addressCount);
        error = null;
        return true;
    }

    /// <summary>Formats the value part of the line (without <c>c=</c>).</summary>
    public override string ToString()
    {
        var text = $"{NetworkType} {AddressType} {Address}";
        if (Ttl is { } ttl)
        {
            text += "/" + ttl.ToString(CultureInfo.InvariantCulture);
        }

        if (AddressCount is { } n)
        {
            text += "/" + n.ToString(CultureInfo.InvariantCulture);
        }

        return text;
    }

    private static bool TryParseSmall(ReadOnlySpan<char> text, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value <= 65535;

    // An address that looks like an IP literal must match the declared family; anything else must at
    // least look like a host name (RFC 4566 allows an FQDN here).
    private static bool IsAddressConsistent(string addressType, ReadOnlySpan<char> address)
    {
        var isIPv6 = addressType.Equals("IP6", StringComparison.OrdinalIgnoreCase);
        var isIPv4 = addressType.Equals("IP4", StringComparison.OrdinalIgnoreCase);
        if (address.Contains(':'))
        {
            return !isIPv4 && IPAddress.TryParse(address, out var ip6) && ip6.AddressFamily == AddressFamily.InterNetworkV6;
        }

        if (IPAddress.TryParse(address, out var ip) && IsDottedQuad(address))
        {
            return !isIPv6 && ip.AddressFamily == AddressFamily.InterNetwork;
        }

        foreach (var c in address)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '-' && c != '.')
            {
                return false;
            }
        }

        // "1.2.3" or "999.1.1.1" are neither valid literals nor plausible host names.
        return !IsAllDigitsAndDots(address);
    }

    private static bool IsDottedQuad(ReadOnlySpan<char> address) => address.Count('.') == 3 && IsAllDigitsAndDots(address);

    private static bool IsAllDigitsAndDots(ReadOnlySpan<char> address)
    {
        foreach (var c in address)
        {
            if (!char.IsAsciiDigit(c) && c != '.')
            {
                return false;
            }
        }

        return true;
    }
}
