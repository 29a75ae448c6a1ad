using System.Text;

namespace CallSwitch.Sip.Messages;

/// <summary>Quoted strings with backslash escapes (RFC 3261 §25.1 quoted-string, quoted-pair).</summary>
public static class QuotedString
{
    /// <summary>Finds the closing quote of the quoted string that opens at <paramref name="start"/>.</summary>
    public static bool TryFindEnd(ReadOnlySpan<char> text, int start, out int end)
    {
        for (int i = start + 1; i < text.Length; i++)
        {
            if (text[i] == '\\')
            {
                i++;
                continue;
            }

            if (text[i] == '"')
            {
                end = i;
                return true;
            }
        }

        end = -1;
        return false;
    }

    /// <summary>Removes the surrounding quotes and resolves escapes; a value without quotes is returned as it is.</summary>
    public static string Unquote(string value)
    {
        if (value.Length < 2 || value[0] != '"' || value[^1] != '"')
        {
            return value;
        }

        var sb = new StringBuilder(value.Length);
        for (int i = 1; i < value.Length - 1; i++)
        {
            char c = value[i];
            if (c == '\\' && i + 1 < value.Length - 1)
            {
                c = value[++i];
            }

            sb.Append(c);
        }

        return sb.ToString();
    }

    /// <summary>Quotes a value, escaping quotes and backslashes.</summary>
    public static string Quote(string value)
    {
        var sb = new StringBuilder(value.Length + 2).Append('"');
        foreach (char c in value)
        {
            if (c is '"' or '\\')
            {
                sb.Append('\\');
            }

            sb.Append(c);
        }

        return sb.Append('"').ToString();
    }
}
