using System.Text;

namespace CallSwitch.Sip.Messages;

/// <summary>
/// An ordered list of <c>;name=value</c> parameters (URI parameters or header parameters).
/// Names compare case-insensitively (RFC 3261 §7.3.1); a parameter may have no value
/// (<c>;lr</c>, <c>;rport</c>); values are kept as written (quoted strings keep their quotes).
/// </summary>
public sealed class SipParameters
{
    private readonly List<KeyValuePair<string, string?>> _items = [];

    /// <summary>The number of parameters.</summary>
    public int Count => _items.Count;

    /// <summary>The parameters in order.</summary>
    public IReadOnlyList<KeyValuePair<string, string?>> Items => _items;

    /// <summary>True when a parameter of this name is present, with or without a value.</summary>
    public bool Contains(string name) => IndexOf(name) >= 0;

    /// <summary>The value of a parameter; null when absent or when it has no value.</summary>
    public string? Get(string name)
    {
        int i = IndexOf(name);
        return i < 0 ? null : _items[i].Value;
    }

    /// <summary>The value with surrounding quotes and escapes removed.</summary>
    public string? GetUnquoted(string name)
    {
        string? value = Get(name);
        return value is null ? null : QuotedString.Unquote(value);
    }

    /// <summary>
    /// URI parameter lookup: names and values compare after %HH unescaping (RFC 3261
    /// §19.1.4; RFC 4475 §3.1.1.3 esc01 writes <c>lr</c> as <c>%6C%72</c>). Returns whether
    /// the parameter is present and its unescaped value (null when it has none).
    /// </summary>
    public bool TryGetUnescaped(string name, out string? value)
    {
        foreach (var (key, raw) in _items)
        {
            string plain = key.Contains('%', StringComparison.Ordinal) ? SipUri.Unescape(key) : key;
            if (string.Equals(plain, name, StringComparison.OrdinalIgnoreCase))
            {
                value = raw is null ? null : SipUri.Unescape(raw);
                return true;
            }
        }

        value = null;
        return false;
    }

    /// <summary>Adds or replaces a parameter.</summary>
    public void Set(string name, string? value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        int i = IndexOf(name);
        if (i < 0)
        {
            _items.Add(new(name, value));
        }
        else
        {
            _items[i] = new(_items[i].Key, value);
        }
    }

    /// <summary>Removes a parameter; true when it was there.</summary>
    public bool Remove(string name)
    {
        int i = IndexOf(name);
        if (i < 0)
        {
            return false;
        }

        _items.RemoveAt(i);
        return true;
    }

    /// <summary>A copy of the list.</summary>
    public SipParameters Clone()
    {
        var copy = new SipParameters();
        copy._items.AddRange(_items);
        return copy;
    }

    /// <summary>Writes each parameter as <c>;name</c> or <c>;name=value</c>.</summary>
    public void WriteTo(StringBuilder sb, char separator = ';')
    {
        foreach (var (name, value) in _items)
        {
            sb.Append(separator).Append(name);
            if (value is not null)
            {
                sb.Append('=').Append(value);
            }
        }
    }

    /// <inheritdoc />
    public override string ToString()
    {
        var sb = new StringBuilder();
        WriteTo(sb);
        return sb.ToString();
    }

    /// <summary>
    /// Parses parameters that follow a value: <paramref name="text"/> starts at the first
    /// separator. White space around separators and '=' is allowed for header parameters
    /// (<paramref name="allowSpaces"/>), never inside URIs. Quoted values are accepted when
    /// <paramref name="allowQuoted"/>.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> text, bool allowSpaces, bool allowQuoted, out SipParameters parameters)
    {
        parameters = new SipParameters();
        int i = 0;
        while (true)
        {
            if (allowSpaces)
            {
                i = SkipSpaces(text, i);
            }

            if (i >= text.Length)
            {
                return true;
            }

            if (text[i] != ';')
            {
                return false;
            }

            i++;
            if (allowSpaces)
            {
                i = SkipSpaces(text, i);
            }

            int nameStart = i;
            while (i < text.Length && IsParamChar(text[i]))
            {
                i++;
            }

            if (i == nameStart)
            {
                return false;
            }

            string name = text[nameStart..i].ToString();
            if (allowSpaces)
            {
                i = SkipSpaces(text, i);
            }

            string? value = null;
            if (i < text.Length && text[i] == '=')
            {
                i++;
                if (allowSpaces)
                {
                    i = SkipSpaces(text, i);
                }

                if (i < text.Length && text[i] == '"')
                {
                    if (!allowQuoted || !QuotedString.TryFindEnd(text, i, out int end))
                    {
                        return false;
                    }

                    value = text[i..(end + 1)].ToString();
                    i = end + 1;
                }
                else
                {
                    int valueStart = i;
                    while (i < text.Length && IsParamChar(text[i]))
                    {
                        i++;
                    }

                    if (i == valueStart)
                    {
                        return false;
                    }

                    value = text[valueStart..i].ToString();
                }
            }

            parameters._items.Add(new(name, value));
        }
    }

    private static int SkipSpaces(ReadOnlySpan<char> text, int i)
    {
        while (i < text.Length && text[i] is ' ' or '\t')
        {
            i++;
        }

        return i;
    }

    /// <summary>
    /// Characters of a parameter name or token value: RFC 3261 token plus the URI
    /// param-unreserved set and escapes, and ':' for IPv6 references in maddr/received.
    /// </summary>
    private static bool IsParamChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '!' or '%' or '*' or '_' or '+' or '`' or '\'' or '~'
            or '[' or ']' or '/' or ':' or '&' or '$' or '(' or ')';

    private int IndexOf(string name)
    {
        for (int i = 0; i < _items.Count; i++)
        {
            if (string.Equals(_items[i].Key, name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }
}
