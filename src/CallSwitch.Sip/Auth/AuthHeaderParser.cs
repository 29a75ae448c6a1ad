using System.Diagnostics.CodeAnalysis;

namespace CallSwitch.Sip.Auth;

/// <summary>
/// Splits an authentication header value (<c>scheme auth-param *(COMMA auth-param)</c>,
/// RFC 3261 §25.1 <c>challenge</c>/<c>credentials</c>) into its scheme and parameters.
/// </summary>
/// <remarks>
/// Tolerance choices, driven by real phones: any amount of SP/HTAB (and stray CR/LF from
/// unfolded lines) around the scheme, <c>=</c> and commas (linphone writes double spaces);
/// empty list elements (<c>a=1,,b=2</c>) are skipped as the HTTP #rule allows; unquoted values
/// may contain any visible ASCII except comma and quote, so an unquoted
/// <c>uri=sip:host;transport=udp</c> still parses. Hostile-input limits: the whole value is
/// capped at <see cref="MaxValueLength"/> characters and <see cref="MaxParameters"/> parameters;
/// duplicated parameter names and NUL/CR/LF inside values are refused so a value can never be
/// ambiguous or smuggle a header line when written back.
/// </remarks>
internal static class AuthHeaderParser
{
    /// <summary>Longest header value we are willing to look at; real ones are below 1 KiB.</summary>
    public const int MaxValueLength = 8192;

    /// <summary>Most parameters in one value; Digest defines about a dozen.</summary>
    public const int MaxParameters = 48;

    public static bool TryParse(
        ReadOnlySpan<char> value,
        [NotNullWhen(true)] out string? scheme,
        [NotNullWhen(true)] out List<AuthParameter>? parameters)
    {
        scheme = null;
        parameters = null;
        if (value.Length > MaxValueLength)
        {
            return false;
        }

        var i = SkipWhitespace(value, 0);
        var schemeStart = i;
        while (i < value.Length && IsTokenChar(value[i]))
        {
            i++;
        }

        if (i == schemeStart || (i < value.Length && !IsWhitespace(value[i])))
        {
            return false;
        }

        var parsedScheme = value[schemeStart..i].ToString();
        var list = new List<AuthParameter>();
        while (true)
        {
            i = SkipWhitespace(value, i);
            if (i >= value.Length)
            {
                break;
            }

            if (value[i] == ',')
            {
                i++;
                continue;
            }

            var nameStart = i;
            while (i < value.Length && IsTokenChar(value[i]))
            {
                i++;
            }

            if (i == nameStart)
            {
                return false;
            }

            var name = value[nameStart..i];
            i = SkipWhitespace(value, i);
            if (i >= value.Length || value[i] != '=')
            {
                return false;
            }

            i = SkipWhitespace(value, i + 1);
            if (i >= value.Length)
            {
                return false;
            }

            string parameterValue;
            bool quoted;
            if (value[i] == '"')
            {
                if (!TryReadQuoted(value, ref i, out parameterValue))
                {
                    return false;
                }

                quoted = true;
            }
            else
            {
                var valueStart = i;
                while (i < value.Length && IsUnquotedValueChar(value[i]))
                {
                    i++;
                }

                if (i == valueStart)
                {
                    return false;
                }

                parameterValue = value[valueStart..i].ToString();
                quoted = false;
            }

            i = SkipWhitespace(value, i);
            if (i < value.Length && value[i] != ',')
            {
                return false;
            }

            if (list.Count >= MaxParameters || Contains(list, name))
            {
                return false;
            }

            list.Add(new AuthParameter(name.ToString(), parameterValue, quoted));
        }

        scheme = parsedScheme;
        parameters = list;
        return true;
    }

    private static bool Contains(List<AuthParameter> list, ReadOnlySpan<char> name)
    {
        foreach (var parameter in list)
        {
            if (name.Equals(parameter.Name, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Reads a quoted-string starting at the opening quote; leaves <paramref name="i"/> after the closing one.</summary>
    private static bool TryReadQuoted(ReadOnlySpan<char> value, ref int i, out string result)
    {
        result = string.Empty;
        var start = i + 1;

        // Fast path: no escapes, the common case for every phone we have seen.
        var end = start;
        while (end < value.Length && value[end] != '"' && value[end] != '\\')
        {
            if (IsForbiddenInValue(value[end]))
            {
                return false;
            }

            end++;
        }

        if (end < value.Length && value[end] == '"')
        {
            result = value[start..end].ToString();
            i = end + 1;
            return true;
        }

        // Slow path: quoted-pair (RFC 3261 §25.1: "\" followed by any char but CR/LF).
        var builder = new System.Text.StringBuilder(value.Length - start);
        for (var j = start; j < value.Length; j++)
        {
            var c = value[j];
            if (c == '"')
            {
                result = builder.ToString();
                i = j + 1;
                return true;
            }

            if (c == '\\')
            {
                j++;
                if (j >= value.Length)
                {
                    return false;
                }

                c = value[j];
            }

            if (IsForbiddenInValue(c))
            {
                return false;
            }

            builder.Append(c);
        }

        return false;
    }

    private static int SkipWhitespace(ReadOnlySpan<char> value, int i)
    {
        while (i < value.Length && IsWhitespace(value[i]))
        {
            i++;
        }

        return i;
    }

    private static bool IsWhitespace(char c) => c is ' ' or '\t' or '\r' or '\n';

    private static bool IsForbiddenInValue(char c) => c is '\0' or '\r' or '\n';

    /// <summary>RFC 3261 §25.1 <c>token</c> characters.</summary>
    internal static bool IsTokenChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '!' or '%' or '*' or '_' or '+' or '`' or '\'' or '~';

    private static bool IsUnquotedValueChar(char c) => c is > ' ' and < (char)0x7F and not ',' and not '"';
}
