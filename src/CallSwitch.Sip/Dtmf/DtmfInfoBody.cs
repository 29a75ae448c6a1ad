using System.Globalization;
using System.Text;

namespace CallSwitch.Sip.Dtmf;

/// <summary>
/// Reads a key press carried in a SIP INFO body, the way softphones and gateways that do not
/// send RFC 4733 events send it: <c>application/dtmf-relay</c> (<c>Signal=5</c>,
/// <c>Duration=160</c>, one per line; Signal may also be 10 for * and 11 for #) or
/// <c>application/dtmf</c> (the key alone, or its event code).
/// </summary>
public static class DtmfInfoBody
{
    /// <summary>The longest body read; key presses are a few dozen bytes.</summary>
    public const int MaxBodyBytes = 256;

    /// <summary>Whether <paramref name="contentType"/> (without parameters, lower case) is a DTMF body type.</summary>
    public static bool IsDtmf(string? contentType) => contentType is "application/dtmf-relay" or "application/dtmf";

    /// <summary>
    /// Reads the key of a DTMF INFO body: 0–9, *, #, A–D (upper case). False for another content
    /// type, a body without a key, a key outside the 16 DTMF events, or a body over
    /// <see cref="MaxBodyBytes"/>.
    /// </summary>
    public static bool TryParse(string? contentType, ReadOnlySpan<byte> body, out char key)
    {
        key = '\0';
        if (!IsDtmf(contentType) || body.Length is 0 or > MaxBodyBytes || body.ContainsAnyExceptInRange((byte)0x09, (byte)0x7E))
        {
            return false;
        }

        string text = Encoding.ASCII.GetString(body);
        if (contentType == "application/dtmf")
        {
            return TryKey(text.Trim(), out key);
        }

        foreach (string line in text.Split('\n'))
        {
            int equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0 && line[..equals].Trim().Equals("Signal", StringComparison.OrdinalIgnoreCase))
            {
                return TryKey(line[(equals + 1)..].Trim(), out key);
            }
        }

        return false;
    }

    private static bool TryKey(string value, out char key)
    {
        key = '\0';
        if (value.Length == 1 && "0123456789*#ABCDabcd".Contains(value[0], StringComparison.Ordinal))
        {
            key = char.ToUpperInvariant(value[0]);
            return true;
        }

        // RFC 4733 event codes: 10 = *, 11 = #, 12–15 = A–D.
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int code) && code is >= 10 and <= 15)
        {
            key = "*#ABCD"[code - 10];
            return true;
        }

        return false;
    }
}
