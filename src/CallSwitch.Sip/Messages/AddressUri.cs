using System.Diagnostics.CodeAnalysis;
namespace CallSwitch.Sip.Messages;

/// <summary>
/// A URI in a Request-URI or a name-addr: <see cref="SipUri"/> (sip, sips), <see cref="TelUri"/>
/// (tel, RFC 3966) or any other absolute URI (<see cref="OtherUri"/>), which the stack carries
/// but does not route (a request to one gets 416).
/// </summary>
public abstract class AddressUri
{
    /// <summary>The scheme in lower case.</summary>
    public abstract string Scheme { get; }

    /// <summary>Parses any URI by its scheme; false on text that is not a URI.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, [NotNullWhen(true)] out AddressUri? uri)
    {
        uri = null;
        int colon = text.IndexOf(':');
        if (colon <= 0 || !IsScheme(text[..colon]))
        {
            return false;
        }

        ReadOnlySpan<char> scheme = text[..colon];
        if (scheme.Equals("sip", StringComparison.OrdinalIgnoreCase) || scheme.Equals("sips", StringComparison.OrdinalIgnoreCase))
        {
            bool ok = SipUri.TryParse(text, out var sip);
            uri = sip;
            return ok;
        }

        if (scheme.Equals("tel", StringComparison.OrdinalIgnoreCase))
        {
            bool ok = TelUri.TryParse(text, out var tel);
            uri = tel;
            return ok;
        }

        bool other = OtherUri.TryParse(text, out var generic);
        uri = generic;
        return other;
    }

    /// <summary>Parses any URI; null on failure.</summary>
    public static AddressUri? Parse(string? text) => text is not null && TryParse(text, out var uri) ? uri : null;

    /// <summary>RFC 3986 scheme: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ).</summary>
    internal static bool IsScheme(ReadOnlySpan<char> s)
    {
        if (s.IsEmpty || !char.IsAsciiLetter(s[0]))
        {
            return false;
        }

        foreach (char c in s)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not '+' and not '-' and not '.')
            {
                return false;
            }
        }

        return true;
    }
}
