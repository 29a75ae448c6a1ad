namespace CallSwitch.Media.Dtmf;

/// <summary>
/// The DTMF event codes of RFC 4733 §3.2 (Table 3): 0–9 are the digits, 10 is '*', 11 is '#',
/// 12–15 are 'A'–'D'. Other event codes (fax tones, line events) are not DTMF.
/// </summary>
public static class DtmfDigits
{
    /// <summary>The highest DTMF event code ('D').</summary>
    public const byte MaxEventCode = 15;

    private const string DigitByCode = "0123456789*#ABCD";

    /// <summary>Maps an event code to its key; false for non-DTMF events.</summary>
    public static bool TryGetDigit(int eventCode, out char digit)
    {
        if ((uint)eventCode <= MaxEventCode)
        {
            digit = DigitByCode[eventCode];
            return true;
        }

        digit = '\0';
        return false;
    }

    /// <summary>Maps a key ('0'–'9', '*', '#', 'A'–'D', case-insensitive) to its event code.</summary>
    public static bool TryGetEventCode(char digit, out byte eventCode)
    {
        var index = DigitByCode.IndexOf(char.ToUpperInvariant(digit), StringComparison.Ordinal);
        eventCode = (byte)Math.Max(index, 0);
        return index >= 0;
    }

    /// <summary>True for '0'–'9', '*', '#' and 'A'–'D' (either case).</summary>
    public static bool IsDigit(char digit) => TryGetEventCode(digit, out _);

    /// <summary>Returns the canonical (upper-case) form of a key.</summary>
    /// <exception cref="ArgumentException">Not a DTMF key.</exception>
    public static char Normalize(char digit) =>
        TryGetEventCode(digit, out var code)
            ? DigitByCode[code]
            : throw new ArgumentException($"'{digit}' is not a DTMF key (0-9, *, #, A-D).", nameof(digit));
}
