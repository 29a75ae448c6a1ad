namespace CallSwitch.Compliance.Numbers;

/// <summary>
/// How a phone number (or whatever was dialled in its place) may appear in a log: every
/// character but a leading '+' and the last two replaced by '*' ("+33612345678" →
/// "+*********78"), enough to tell two attempts apart without the number in clear. Shorter than
/// six characters, nothing is kept: the last two digits of a short number are most of it.
/// </summary>
public static class PhoneNumberMask
{
    private const int KeptDigits = 2;
    private const int ShortestWithKeptDigits = 6;

    /// <summary>The masked form of <paramref name="text"/>; empty for null or empty.</summary>
    public static string Mask(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        int kept = text.Length >= ShortestWithKeptDigits ? KeptDigits : 0;
        return string.Create(text.Length, (text, kept), static (span, state) =>
        {
            (string source, int keep) = state;
            for (int i = 0; i < span.Length; i++)
            {
                bool visible = (i == 0 && source[0] == '+') || i >= span.Length - keep;
                span[i] = visible ? source[i] : '*';
            }
        });
    }
}
