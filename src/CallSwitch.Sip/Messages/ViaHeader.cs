using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace CallSwitch.Sip.Messages;

/// <summary>
/// One Via value (RFC 3261 §20.42, §18.2.1; RFC 3581 rport):
/// <c>SIP/2.0/UDP host:port;branch=z9hG4bK…;received=…;rport=…</c>.
/// </summary>
public sealed class ViaHeader
{
    /// <summary>RFC 3261 §8.1.1.7: branches of RFC 3261 stacks begin with this cookie.</summary>
    public const string MagicCookie = "z9hG4bK";

    /// <summary>Creates a Via.</summary>
    public ViaHeader(string transport, string host, int? port, string? branch)
    {
        Transport = transport.ToUpperInvariant();
        Host = host;
        Port = port;
        if (branch is not null)
        {
            Parameters.Set("branch", branch);
        }
    }

    /// <summary>The protocol name and version, normally <c>SIP/2.0</c>.</summary>
    public string Protocol { get; private init; } = "SIP/2.0";

    /// <summary>The transport in upper case (UDP, TCP, TLS, SCTP, WS, WSS).</summary>
    public string Transport { get; }

    /// <summary>The sent-by host (IPv6 in brackets).</summary>
    public string Host { get; }

    /// <summary>The sent-by port, or null.</summary>
    public int? Port { get; }

    /// <summary>The parameters.</summary>
    public SipParameters Parameters { get; private init; } = new();

    /// <summary>The branch parameter, or null.</summary>
    public string? Branch => Parameters.Get("branch");

    /// <summary>
    /// True when a branch parameter is present but identifies no transaction: empty, or the
    /// magic cookie alone (RFC 4475 §3.2.1 badbranch).
    /// </summary>
    public bool HasUnusableBranch => Parameters.Contains("branch") && (string.IsNullOrEmpty(Branch) || string.Equals(Branch, MagicCookie, StringComparison.Ordinal));

    /// <summary>True when the branch carries the RFC 3261 magic cookie.</summary>
    public bool HasRfc3261Branch => Branch?.StartsWith(MagicCookie, StringComparison.Ordinal) == true;

    /// <summary>The received parameter, or null.</summary>
    public string? Received => Parameters.Get("received");

    /// <summary>True when rport is present (with or without a value).</summary>
    public bool HasRPort => Parameters.Contains("rport");

    /// <summary>The rport value, or null when absent or empty.</summary>
    public int? RPort => int.TryParse(Parameters.Get("rport"), NumberStyles.None, CultureInfo.InvariantCulture, out int p) ? p : null;

    /// <summary>The maddr parameter, or null.</summary>
    public string? MAddr => Parameters.Get("maddr");

    /// <summary>True for a reliable (stream) transport.</summary>
    public bool IsReliable => Transport is "TCP" or "TLS" or "SCTP" or "WS" or "WSS";

    /// <summary>Parses one Via value; linear white space is allowed around '/', ':' and ';'.</summary>
    public static bool TryParse(string value, [NotNullWhen(true)] out ViaHeader? via)
    {
        via = null;
        ReadOnlySpan<char> s = value.AsSpan().Trim(" \t");

        if (!TryTakeToken(ref s, out var name) || !TryTakeChar(ref s, '/') ||
            !TryTakeToken(ref s, out var version) || !TryTakeChar(ref s, '/') ||
            !TryTakeToken(ref s, out var transport))
        {
            return false;
        }

        s = s.TrimStart(" \t");
        int end = 0;
        if (!s.IsEmpty && s[0] == '[')
        {
            end = s.IndexOf(']');
            if (end < 0)
            {
                return false;
            }
        }

        while (end < s.Length && s[end] is not ';' and not ' ' and not '\t')
        {
            end++;
        }

        ReadOnlySpan<char> sentBy = s[..end];
        if (!SipUri.TryParseHostPort(sentBy, out string? host, out int? port))
        {
            return false;
        }

        if (!SipParameters.TryParse(s[end..], allowSpaces: true, allowQuoted: true, out var parameters))
        {
            return false;
        }

        via = new ViaHeader(transport.ToString(), host!, port, null)
        {
            Protocol = name.ToString().ToUpperInvariant() + "/" + version.ToString(),
            Parameters = parameters,
        };
        return true;
    }

    /// <inheritdoc />
    public override string ToString()
    {
        var sb = new StringBuilder(96);
        sb.Append(Protocol).Append('/').Append(Transport).Append(' ').Append(Host);
        if (Port is int port)
        {
            sb.Append(':').Append(port.ToString(CultureInfo.InvariantCulture));
        }

        Parameters.WriteTo(sb);
        return sb.ToString();
    }

    private static bool TryTakeToken(ref ReadOnlySpan<char> s, out ReadOnlySpan<char> token)
    {
        s = s.TrimStart(" \t");
        int i = 0;
        while (i < s.Length && SipGrammar.IsTokenChar(s[i]))
        {
            i++;
        }

        token = s[..i];
        s = s[i..];
        return i > 0;
    }

    private static bool TryTakeChar(ref ReadOnlySpan<char> s, char c)
    {
        s = s.TrimStart(" \t");
        if (s.IsEmpty || s[0] != c)
        {
            return false;
        }

        s = s[1..];
        return true;
    }
}
