namespace CallSwitch.Sip.Messages;

/// <summary>
/// Splits a list header value on the commas that separate its elements, ignoring commas
/// inside quoted strings and inside angle brackets (a URI may hold commas in its headers).
/// </summary>
public static class HeaderValueSplitter
{
    /// <summary>Appends each non-empty, trimmed element of <paramref name="value"/> to <paramref name="into"/>.</summary>
    public static void Split(string value, List<string> into)
    {
        int start = 0;
        bool quoted = false;
        int angle = 0;
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (quoted)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }

                continue;
            }

            switch (c)
            {
                case '"':
                    quoted = true;
                    break;
                case '<':
                    angle++;
                    break;
                case '>':
                    if (angle > 0)
                    {
                        angle--;
                    }

                    break;
                case ',' when angle == 0:
                    AddTrimmed(value, start, i, into);
                    start = i + 1;
                    break;
            }
        }

        AddTrimmed(value, start, value.Length, into);
    }

    private static void AddTrimmed(string value, int start, int end, List<string> into)
    {
        ReadOnlySpan<char> part = value.AsSpan(start, end - start).Trim(" \t");
        if (!part.IsEmpty)
        {
            into.Add(part.Length == value.Length ? value : part.ToString());
        }
    }
}
