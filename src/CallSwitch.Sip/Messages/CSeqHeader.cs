using System.Globalization;

namespace CallSwitch.Sip.Messages;

/// <summary>The CSeq header (RFC 3261 §20.16): a sequence number below 2^31 and a method.</summary>
public readonly record struct CSeqHeader(uint Number, string Method)
{
    /// <summary>RFC 3261 §8.1.1.5: the sequence number MUST be less than 2**31.</summary>
    public const uint MaxNumber = int.MaxValue;

    /// <summary>Parses <c>4711 INVITE</c>.</summary>
    public static bool TryParse(string? value, out CSeqHeader cseq)
    {
        cseq = default;
        if (value is null)
        {
            return false;
        }

        ReadOnlySpan<char> s = value.AsSpan().Trim(" \t");
        int space = s.IndexOfAny(' ', '\t');
        if (space <= 0)
        {
            return false;
        }

        ReadOnlySpan<char> number = s[..space];
        ReadOnlySpan<char> method = s[space..].TrimStart(" \t");
        if (number.Length > 10 ||
            !uint.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out uint n) || n > MaxNumber ||
            !SipGrammar.IsToken(method))
        {
            return false;
        }

        string m = method.ToString();
        foreach (string known in SipMethods.All)
        {
            if (m == known)
            {
                m = known;
                break;
            }
        }

        cseq = new CSeqHeader(n, m);
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => Number.ToString(CultureInfo.InvariantCulture) + " " + Method;
}
