using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace CallSwitch.Sip.Messages;

/// <summary>A tel URI (RFC 3966): a global number (<c>tel:+33123456789</c>) or a local one with a phone-context.</summary>
public sealed class TelUri : AddressUri
{
    private TelUri(string number, SipParameters parameters)
    {
        Number = number;
        Parameters = parameters;
    }

    /// <inheritdoc />
    public override string Scheme => "tel";

    /// <summary>The number as written, visual separators included.</summary>
    public string Number { get; }

    /// <summary>The parameters (phone-context, ext, isub, …).</summary>
    public SipParameters Parameters { get; }

    /// <summary>True for a global number (starts with '+').</summary>
    public bool IsGlobal => Number.StartsWith('+');

    /// <summary>The digits of the number without visual separators (and with the leading '+' of a global number).</summary>
    public string Digits
    {
        get
        {
            var sb = new StringBuilder(Number.Length);
            foreach (char c in Number)
            {
                if (char.IsAsciiDigit(c) || c is '+' or '*' or '#' || char.IsAsciiHexDigit(c))
                {
                    sb.Append(c);
                }
            }

            return sb.ToString();
        }
    }

    /// <summary>Parses <c>tel:number;params</c>.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, [NotNullWhen(true)] out TelUri? uri)
    {
        uri = null;
        if (text.Length < 5 || !text[..4].Equals("tel:", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        ReadOnlySpan<char> rest = text[4..];
        int semi = rest.IndexOf(';');
        ReadOnlySpan<char> number = semi < 0 ? rest : rest[..semi];
        if (number.IsEmpty)
        {
            return false;
        }

        int start = number[0] == '+' ? 1 : 0;
        bool anyDigit = false;
        for (int i = start; i < number.Length; i++)
        {
            char c = number[i];
            if (char.IsAsciiHexDigit(c) || c is '*' or '#')
            {
                anyDigit = true;
            }
            else if (c is not '-' and not '.' and not '(' and not ')')
            {
                return false;
            }
        }

        if (!anyDigit)
        {
            return false;
        }

        var parameters = new SipParameters();
        if (semi >= 0 && !SipParameters.TryParse(rest[semi..], allowSpaces: false, allowQuoted: false, out parameters))
        {
            return false;
        }

        // RFC 3966 §5.1.5: a local number needs a phone-context.
        if (start == 0 && !parameters.Contains("phone-context"))
        {
            return false;
        }

        uri = new TelUri(number.ToString(), parameters);
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => "tel:" + Number + Parameters;
}
