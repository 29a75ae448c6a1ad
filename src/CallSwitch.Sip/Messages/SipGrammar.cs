namespace CallSwitch.Sip.Messages;

/// <summary>Character classes of the RFC 3261 §25.1 grammar.</summary>
public static class SipGrammar
{
    /// <summary>token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~").</summary>
    public static bool IsTokenChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '!' or '%' or '*' or '_' or '+' or '`' or '\'' or '~';

    /// <summary>The same for a byte.</summary>
    public static bool IsTokenByte(byte b) => b < 128 && IsTokenChar((char)b);

    /// <summary>True when the whole span is a non-empty token.</summary>
    public static bool IsToken(ReadOnlySpan<char> s)
    {
        if (s.IsEmpty)
        {
            return false;
        }

        foreach (char c in s)
        {
            if (!IsTokenChar(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>True when the whole byte span is a non-empty token.</summary>
    public static bool IsToken(ReadOnlySpan<byte> s)
    {
        if (s.IsEmpty)
        {
            return false;
        }

        foreach (byte b in s)
        {
            if (!IsTokenByte(b))
            {
                return false;
            }
        }

        return true;
    }
}
