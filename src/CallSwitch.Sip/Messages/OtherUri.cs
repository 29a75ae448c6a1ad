using System.Diagnostics.CodeAnalysis;
namespace CallSwitch.Sip.Messages;

/// <summary>An absolute URI of a scheme the stack does not route (RFC 3261 absoluteURI).</summary>
public sealed class OtherUri : AddressUri
{
    private OtherUri(string scheme, string text)
    {
        Scheme = scheme;
        Text = text;
    }

    /// <inheritdoc />
    public override string Scheme { get; }

    /// <summary>The URI as written.</summary>
    public string Text { get; }

    /// <summary>Parses an absolute URI: a scheme, a colon and at least one character without white space or angle brackets.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, [NotNullWhen(true)] out OtherUri? uri)
    {
        uri = null;
        int colon = text.IndexOf(':');
        if (colon <= 0 || colon == text.Length - 1 || !IsScheme(text[..colon]))
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

        uri = new OtherUri(text[..colon].ToString().ToLowerInvariant(), text.ToString());
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => Text;
}
