using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Text;

namespace CallSwitch.Sip.Messages;

/// <summary>
/// A sip or sips URI (RFC 3261 §19.1): <c>sip:user:password@host:port;params?headers</c>.
/// The user part is kept as written (escaped); <see cref="UserUnescaped"/> resolves %HH.
/// IPv6 hosts keep their brackets (<c>[::1]</c>), as they are written in URIs and Via.
/// </summary>
public sealed class SipUri : AddressUri
{
    /// <summary>Creates a URI.</summary>
    public SipUri(string host, int? port = null, string? user = null, bool secure = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(host);
        Host = host;
        Port = port;
        User = user;
        IsSecure = secure;
    }

    /// <inheritdoc />
    public override string Scheme => IsSecure ? "sips" : "sip";

    /// <summary>True for sips.</summary>
    public bool IsSecure { get; set; }

    /// <summary>The user part as written (escapes kept), or null.</summary>
    public string? User { get; set; }

    /// <summary>The password of the userinfo, or null (its use is not recommended, RFC 3261 §19.1.1).</summary>
    public string? Password { get; set; }

    /// <summary>The host: a name, an IPv4 address, or an IPv6 reference in brackets.</summary>
    public string Host { get; set; }

    /// <summary>The port, or null when not written.</summary>
    public int? Port { get; set; }

    /// <summary>The URI parameters.</summary>
    public SipParameters Parameters { get; private init; } = new();

    /// <summary>The headers part after '?', as written, or null.</summary>
    public string? UriHeaders { get; set; }

    /// <summary>The user part with %HH escapes resolved (UTF-8), or null.</summary>
    public string? UserUnescaped => User is null ? null : Unescape(User);

    /// <summary>The transport parameter in lower case (escapes resolved), or null.</summary>
    public string? Transport => Parameters.TryGetUnescaped("transport", out string? t) ? t?.ToLowerInvariant() : null;

    /// <summary>True when the loose-routing parameter <c>lr</c> is present, written plainly or escaped (RFC 3261 §16.12, §19.1.4).</summary>
    public bool IsLooseRouter => Parameters.TryGetUnescaped("lr", out _);

    /// <summary>The host without IPv6 brackets, for address parsing and DNS.</summary>
    public string HostWithoutBrackets => Host.StartsWith('[') && Host.EndsWith(']') ? Host[1..^1] : Host;

    /// <summary>The host as an IP address when it is one.</summary>
    public IPAddress? HostAddress => IPAddress.TryParse(HostWithoutBrackets, out var address) ? address : null;

    /// <summary>Parses a sip or sips URI; white space anywhere makes it invalid.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, [NotNullWhen(true)] out SipUri? uri)
    {
        uri = null;
        bool secure;
        if (text.StartsWith("sips:", StringComparison.OrdinalIgnoreCase))
        {
            secure = true;
            text = text[5..];
        }
        else if (text.StartsWith("sip:", StringComparison.OrdinalIgnoreCase))
        {
            secure = false;
            text = text[4..];
        }
        else
        {
            return false;
        }

        foreach (char c in text)
        {
            if (c <= ' ' || c is '<' or '>' or '"' or (char)127)
            {
                return false;
            }
        }

        string? user = null;
        string? password = null;
        int at = text.IndexOf('@');
        if (at >= 0)
        {
            ReadOnlySpan<char> userinfo = text[..at];
            int colon = userinfo.IndexOf(':');
            ReadOnlySpan<char> userPart = colon < 0 ? userinfo : userinfo[..colon];
            if (userPart.IsEmpty || !IsValidEscaped(userPart) || !IsValidEscaped(colon < 0 ? default : userinfo[(colon + 1)..]))
            {
                return false;
            }

            user = userPart.ToString();
            password = colon < 0 ? null : userinfo[(colon + 1)..].ToString();
            text = text[(at + 1)..];
        }

        int question = text.IndexOf('?');
        string? headers = null;
        if (question >= 0)
        {
            headers = text[(question + 1)..].ToString();
            text = text[..question];
        }

        int semi = text.IndexOf(';');
        ReadOnlySpan<char> hostport = semi < 0 ? text : text[..semi];
        if (!TryParseHostPort(hostport, out string? host, out int? port))
        {
            return false;
        }

        var parameters = new SipParameters();
        if (semi >= 0 && !SipParameters.TryParse(text[semi..], allowSpaces: false, allowQuoted: false, out parameters))
        {
            return false;
        }

        uri = new SipUri(host!, port, user, secure) { Password = password, UriHeaders = headers, Parameters = parameters };
        return true;
    }

    /// <summary>Parses a sip or sips URI, or returns null.</summary>
    public static new SipUri? Parse(string? text) => text is not null && TryParse(text, out var uri) ? uri : null;

    /// <summary>Parses <c>host[:port]</c> where host is a name, IPv4 address or bracketed IPv6 reference.</summary>
    public static bool TryParseHostPort(ReadOnlySpan<char> text, out string? host, out int? port)
    {
        host = null;
        port = null;
        if (text.IsEmpty)
        {
            return false;
        }

        ReadOnlySpan<char> hostPart;
        ReadOnlySpan<char> portPart = default;
        if (text[0] == '[')
        {
            int close = text.IndexOf(']');
            if (close < 0)
            {
                return false;
            }

            hostPart = text[..(close + 1)];
            if (!IPAddress.TryParse(hostPart[1..^1], out var v6) || v6.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
            {
                return false;
            }

            ReadOnlySpan<char> rest = text[(close + 1)..];
            if (!rest.IsEmpty)
            {
                if (rest[0] != ':')
                {
                    return false;
                }

                portPart = rest[1..];
                if (portPart.IsEmpty)
                {
                    return false;
                }
            }
        }
        else
        {
            int colon = text.IndexOf(':');
            hostPart = colon < 0 ? text : text[..colon];
            if (colon >= 0)
            {
                portPart = text[(colon + 1)..];
                if (portPart.IsEmpty)
                {
                    return false;
                }
            }

            if (!IsHostName(hostPart))
            {
                return false;
            }
        }

        if (!portPart.IsEmpty)
        {
            if (portPart.Length > 5 || !int.TryParse(portPart, NumberStyles.None, CultureInfo.InvariantCulture, out int p) || p > 65535)
            {
                return false;
            }

            port = p;
        }

        host = hostPart.ToString();
        return true;
    }

    /// <summary>
    /// URI comparison (RFC 3261 §19.1.4): user and password case-sensitive after unescaping,
    /// host case-insensitive (IP addresses by value), ports equal, the user/ttl/method/maddr/transport
    /// parameters must match when either has them, other parameters only when both have them,
    /// and the header components equal as a set, in any order.
    /// </summary>
    public bool IsEquivalentTo(SipUri other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (IsSecure != other.IsSecure ||
            !string.Equals(UserUnescaped, other.UserUnescaped, StringComparison.Ordinal) ||
            !string.Equals(Password is null ? null : Unescape(Password), other.Password is null ? null : Unescape(other.Password), StringComparison.Ordinal) ||
            !HostEquals(other) ||
            Port != other.Port)
        {
            return false;
        }

        foreach (string name in new[] { "user", "ttl", "method", "maddr", "transport" })
        {
            bool mine = Parameters.TryGetUnescaped(name, out string? a);
            bool theirs = other.Parameters.TryGetUnescaped(name, out string? b);
            if (mine != theirs || !string.Equals(a, b, StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        foreach (var (name, _) in Parameters.Items)
        {
            string plain = Unescape(name);
            Parameters.TryGetUnescaped(plain, out string? a);
            if (other.Parameters.TryGetUnescaped(plain, out string? b) && !string.Equals(a, b, StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        return HeadersEqual(UriHeaders, other.UriHeaders);
    }

    private bool HostEquals(SipUri other)
    {
        if (string.Equals(HostWithoutBrackets, other.HostWithoutBrackets, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        // Two spellings of one IPv6 address ([2001:db8::1] and [2001:DB8:0::1]) are one host.
        return HostAddress is { } a && other.HostAddress is { } b && a.Equals(b);
    }

    /// <summary>
    /// RFC 3261 §19.1.4: every header component must be present in both URIs and match;
    /// names are case-insensitive, values compare after unescaping; order does not matter.
    /// </summary>
    private static bool HeadersEqual(string? a, string? b)
    {
        if (string.IsNullOrEmpty(a) || string.IsNullOrEmpty(b))
        {
            return string.IsNullOrEmpty(a) && string.IsNullOrEmpty(b);
        }

        List<string> left = NormalizedHeaders(a);
        List<string> right = NormalizedHeaders(b);
        return left.SequenceEqual(right, StringComparer.Ordinal);
    }

    private static List<string> NormalizedHeaders(string headers)
    {
        var list = new List<string>();
        foreach (string part in headers.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = part.IndexOf('=');
            string name = Unescape(eq < 0 ? part : part[..eq]).ToLowerInvariant();
            string value = eq < 0 ? string.Empty : Unescape(part[(eq + 1)..]);
            list.Add(name + "=" + value);
        }

        list.Sort(StringComparer.Ordinal);
        return list;
    }

    /// <summary>A copy that can be changed without touching this one.</summary>
    public SipUri Clone() => new(Host, Port, User, IsSecure)
    {
        Password = Password,
        UriHeaders = UriHeaders,
        Parameters = Parameters.Clone(),
    };

    /// <inheritdoc />
    public override string ToString()
    {
        var sb = new StringBuilder(64);
        sb.Append(Scheme).Append(':');
        if (User is not null)
        {
            sb.Append(User);
            if (Password is not null)
            {
                sb.Append(':').Append(Password);
            }

            sb.Append('@');
        }

        sb.Append(Host);
        if (Port is int port)
        {
            sb.Append(':').Append(port.ToString(CultureInfo.InvariantCulture));
        }

        Parameters.WriteTo(sb);
        if (UriHeaders is not null)
        {
            sb.Append('?').Append(UriHeaders);
        }

        return sb.ToString();
    }

    /// <summary>Resolves %HH escapes (RFC 3261 §25.1 escaped) as UTF-8; invalid escapes are left as written.</summary>
    public static string Unescape(string text)
    {
        if (text.IndexOf('%') < 0)
        {
            return text;
        }

        var bytes = new List<byte>(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '%' && i + 2 < text.Length && char.IsAsciiHexDigit(text[i + 1]) && char.IsAsciiHexDigit(text[i + 2]))
            {
                bytes.Add(byte.Parse(text.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                i += 2;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(text[i].ToString()));
            }
        }

        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    private static bool IsValidEscaped(ReadOnlySpan<char> text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '%' && (i + 2 >= text.Length || !char.IsAsciiHexDigit(text[i + 1]) || !char.IsAsciiHexDigit(text[i + 2])))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsHostName(ReadOnlySpan<char> host)
    {
        if (host.IsEmpty || host[0] is '.' or '-')
        {
            return false;
        }

        foreach (char c in host)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not '-' and not '.' and not '_')
            {
                return false;
            }
        }

        return true;
    }
}
