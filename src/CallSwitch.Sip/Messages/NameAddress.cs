using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace CallSwitch.Sip.Messages;

/// <summary>
/// A name-addr or addr-spec with header parameters (From, To, Contact, Route, Record-Route,
/// Refer-To…): <c>"Alice" &lt;sip:alice@example.com&gt;;tag=1928301774</c>. Without angle
/// brackets, parameters after the URI belong to the header, not to the URI (RFC 3261 §20.10).
/// </summary>
public sealed class NameAddress
{
    /// <summary>Creates a name-addr.</summary>
    public NameAddress(AddressUri uri, string? displayName = null)
    {
        Uri = uri;
        DisplayName = displayName;
    }

    /// <summary>The display name, unquoted and unescaped, or null.</summary>
    public string? DisplayName { get; set; }

    /// <summary>The URI.</summary>
    public AddressUri Uri { get; set; }

    /// <summary>The URI when it is a sip or sips URI.</summary>
    public SipUri? SipUri => Uri as SipUri;

    /// <summary>The header parameters (tag, expires, q…).</summary>
    public SipParameters Parameters { get; private init; } = new();

    /// <summary>The tag parameter, or null.</summary>
    public string? Tag
    {
        get => Parameters.Get("tag");
        set
        {
            if (value is null)
            {
                Parameters.Remove("tag");
            }
            else
            {
                Parameters.Set("tag", value);
            }
        }
    }

    /// <summary>Parses a header value; false for a malformed one.</summary>
    public static bool TryParse(string? value, [NotNullWhen(true)] out NameAddress? address)
    {
        address = null;
        if (value is null)
        {
            return false;
        }

        ReadOnlySpan<char> s = value.AsSpan().Trim(" \t");
        if (s.IsEmpty)
        {
            return false;
        }

        string? display = null;
        ReadOnlySpan<char> uriText;
        ReadOnlySpan<char> rest;
        int lt;
        if (s[0] == '"')
        {
            if (!QuotedString.TryFindEnd(s, 0, out int end))
            {
                return false;
            }

            display = QuotedString.Unquote(s[..(end + 1)].ToString());
            s = s[(end + 1)..].TrimStart(" \t");
            if (s.IsEmpty || s[0] != '<')
            {
                return false;
            }

            lt = 0;
        }
        else
        {
            lt = s.IndexOf('<');
        }

        if (lt >= 0)
        {
            if (display is null)
            {
                ReadOnlySpan<char> name = s[..lt].Trim(" \t");
                if (!name.IsEmpty)
                {
                    if (!IsTokenList(name))
                    {
                        return false;
                    }

                    display = name.ToString();
                }
            }

            int gt = s.IndexOf('>');
            if (gt < lt)
            {
                return false;
            }

            uriText = s[(lt + 1)..gt];
            rest = s[(gt + 1)..];
        }
        else
        {
            int semi = s.IndexOf(';');
            uriText = (semi < 0 ? s : s[..semi]).TrimEnd(" \t");
            rest = semi < 0 ? default : s[semi..];

            // RFC 3261 §20.10: a URI holding a comma, question mark or semicolon must be in
            // angle brackets; without them "?" or "," is malformed (RFC 4475 §3.1.2.13 regbadct).
            if (uriText.IndexOfAny('?', ',') >= 0)
            {
                return false;
            }
        }

        if (!AddressUri.TryParse(uriText, out var uri))
        {
            return false;
        }

        if (!SipParameters.TryParse(rest, allowSpaces: true, allowQuoted: true, out var parameters))
        {
            return false;
        }

        address = new NameAddress(uri!, display) { Parameters = parameters };
        return true;
    }

    /// <summary>Parses a header value, or returns null.</summary>
    public static NameAddress? Parse(string? value) => TryParse(value, out var a) ? a : null;

    /// <summary>A copy that can be changed without touching this one.</summary>
    public NameAddress Clone() => new(Uri is SipUri sip ? sip.Clone() : Uri, DisplayName) { Parameters = Parameters.Clone() };

    /// <inheritdoc />
    public override string ToString()
    {
        var sb = new StringBuilder(96);
        if (!string.IsNullOrEmpty(DisplayName))
        {
            sb.Append(QuotedString.Quote(DisplayName)).Append(' ');
        }

        sb.Append('<').Append(Uri).Append('>');
        Parameters.WriteTo(sb);
        return sb.ToString();
    }

    private static bool IsTokenList(ReadOnlySpan<char> name)
    {
        foreach (char c in name)
        {
            if (!SipGrammar.IsTokenChar(c) && c is not ' ' and not '\t')
            {
                return false;
            }
        }

        return true;
    }
}
