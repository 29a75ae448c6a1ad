using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace CallSwitch.Sip.Sdp;

/// <summary>
/// RFC 4566 §5 parser. Tolerant where real endpoints deviate harmlessly (bare LF, trailing white space,
/// blank lines, session-level lines out of order, a missing <c>t=</c>), strict on what would make the
/// description meaningless (no <c>v=0</c>, no origin, bad ports or payload types, session-only lines
/// inside a media section).
/// </summary>
internal static class SdpParser
{
    private const int _maxQuotedLineLength = 60;

    public static bool TryParse(
        ReadOnlySpan<char> text,
        [NotNullWhen(true)] out SessionDescription? sdp,
        [NotNullWhen(false)] out string? error)
    {
        sdp = null;
        var placeholderOrigin = new SdpOrigin("-", 0, 0, "IN", "IP4", "0.0.0.0");
        var result = new SessionDescription(placeholderOrigin, string.Empty);
        var seenVersion = false;
        var seenOrigin = false;
        var seenSessionName = false;
        SdpMediaDescription? media = null;
        var lineNumber = 0;

        foreach (var range in text.Split('\n'))
        {
            lineNumber++;
            var line = text[range].TrimEnd(" \t\r");
            if (line.IsEmpty)
            {
                continue;
            }

            if (line.Length < 2 || line[1] != '=' || !char.IsAsciiLetterLower(line[0]))
            {
                error = Describe(lineNumber, line, "not a '<type>=<value>' line");
                return false;
            }

            // RFC 4566 §9: text fields are byte-strings without NUL, CR or LF; other controls are garbage too.
            if (line.IndexOfAnyInRange('\0', '\u0008') >= 0 || line.IndexOfAnyInRange('\u000A', '\u001F') >= 0)
            {
                error = Describe(lineNumber, line, "control character in line");
                return false;
            }

            var type = line[0];
            var value = line[2..];
            if (!seenVersion)
            {
                if (type != 'v')
                {
                    error = Describe(lineNumber, line, "a session description must start with 'v=0'");
                    return false;
                }

                if (!value.SequenceEqual("0"))
                {
                    error = Describe(lineNumber, line, "unsupported SDP version (only 0 is defined)");
                    return false;
                }

                seenVersion = true;
                continue;
            }

            string? problem;
            if (type == 'm')
            {
                if (!seenOrigin || !seenSessionName)
                {
                    error = Describe(lineNumber, line, seenOrigin ? "missing 's=' line before the first 'm='" : "missing 'o=' line before the first 'm='");
                    return false;
                }

                problem = TryParseMediaLine(value, out media);
                if (media is not null)
                {
                    result.MediaDescriptions.Add(media);
                }
            }
            else if (media is not null)
            {
                problem = ParseMediaLevelLine(media, type, value);
            }
            else
            {
                problem = ParseSessionLevelLine(result, type, value, ref seenOrigin, ref seenSessionName);
            }

            if (problem is not null)
            {
                error = Describe(lineNumber, line, problem);
                return false;
            }
        }

        error = !seenVersion ? "empty session description (no 'v=0' line)"
            : !seenOrigin ? "missing 'o=' line"
            : !seenSessionName ? "missing 's=' line"
            : null;
        if (error is not null)
        {
            return false;
        }

        sdp = result;
        return true;
    }

    private static string? ParseSessionLevelLine(
        SessionDescription sdp, char type, ReadOnlySpan<char> value, ref bool seenOrigin, ref bool seenSessionName)
    {
        switch (type)
        {
            case 'v':
                return "duplicate 'v=' line";
            case 'o':
                if (seenOrigin)
                {
                    return "duplicate 'o=' line";
                }

                seenOrigin = true;
                return TryParseOrigin(value, out var origin) is { } originProblem ? originProblem : SetOrigin(sdp, origin!);
            case 's':
                if (seenSessionName)
                {
                    return "duplicate 's=' line";
                }

                seenSessionName = true;
                sdp.SessionName = value.ToString();
                return null;
            case 'i':
                return SetOnce(sdp.Information, type, value, v => sdp.Information = v);
            case 'u':
                return SetOnce(sdp.Uri, type, value, v => sdp.Uri = v);
            case 'e':
                sdp.Emails.Add(value.ToString());
                return null;
            case 'p':
                sdp.Phones.Add(value.ToString());
                return null;
            case 'c':
                if (sdp.Connection is not null)
                {
                    return "duplicate session-level 'c=' line";
                }

                if (!SdpConnection.TryParse(value, out var connection, out var connectionError))
                {
                    return connectionError;
                }

                sdp.Connection = connection;
                return null;
            case 'b':
                return AddBandwidth(sdp.Bandwidths, value);
            case 't':
                return TryParseTiming(value, sdp.Timings);
            case 'r':
                if (sdp.Timings.Count == 0)
                {
                    return "'r=' line without a preceding 't=' line";
                }

                // RFC 4566 §5.10: <repeat interval> <active duration> <offsets from start-time>.
                if (value.Count(' ') < 2)
                {
                    return "'r=' needs an interval, a duration and at least one offset";
                }

                sdp.Timings[^1].RepeatTimes.Add(value.ToString());
                return null;
            case 'z':
                return SetOnce(sdp.TimeZones, type, value, v => sdp.TimeZones = v);
            case 'k':
                return SetOnce(sdp.EncryptionKey, type, value, v => sdp.EncryptionKey = v);
            case 'a':
                return AddAttribute(sdp.Attributes, value);
            default:
                sdp.ExtraLines.Add(new SdpLine(type, value.ToString()));
                return null;
        }
    }

    private static string? ParseMediaLevelLine(SdpMediaDescription media, char type, ReadOnlySpan<char> value)
    {
        switch (type)
        {
            case 'i':
                return SetOnce(media.Information, type, value, v => media.Information = v);
            case 'c':
                if (!SdpConnection.TryParse(value, out var connection, out var connectionError))
                {
                    return connectionError;
                }

                media.Connections.Add(connection);
                return null;
            case 'b':
                return AddBandwidth(media.Bandwidths, value);
            case 'k':
                return SetOnce(media.EncryptionKey, type, value, v => media.EncryptionKey = v);
            case 'a':
                return AddAttribute(media.Attributes, value);
            case 'v' or 'o' or 's' or 'u' or 'e' or 'p' or 't' or 'r' or 'z':
                return $"'{type}=' is a session-level line and cannot appear inside a media description";
            default:
                media.ExtraLines.Add(new SdpLine(type, value.ToString()));
                return null;
        }
    }

    private static string? SetOrigin(SessionDescription sdp, SdpOrigin origin)
    {
        sdp.Origin = origin;
        return null;
    }

    private static string? SetOnce(string? current, char type, ReadOnlySpan<char> value, Action<string> set)
    {
        if (current is not null)
        {
            return $"duplicate '{type}=' line";
        }

        set(value.ToString());
        return null;
    }

    // o=<username> <sess-id> <sess-version> <nettype> <addrtype> <unicast-address> (RFC 4566 §5.2).
    private static string? TryParseOrigin(ReadOnlySpan<char> value, out SdpOrigin? origin)
    {
        origin = null;
        Span<Range> parts = stackalloc Range[7];
        if (value.Split(parts, ' ', StringSplitOptions.RemoveEmptyEntries) != 6)
        {
            return "origin must have 6 fields: <username> <sess-id> <sess-version> <nettype> <addrtype> <address>";
        }

        if (!ulong.TryParse(value[parts[1]], NumberStyles.None, CultureInfo.InvariantCulture, out var sessionId))
        {
            return "origin session id must be a number";
        }

        if (!ulong.TryParse(value[parts[2]], NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            return "origin session version must be a number";
        }

        origin = new SdpOrigin(
            value[parts[0]].ToString(),
            sessionId,
            version,
            value[parts[3]].ToString(),
            value[parts[4]].ToString(),
            value[parts[5]].ToString());
        return null;
    }

    private static string? TryParseTiming(ReadOnlySpan<char> value, List<SdpTiming> timings)
    {
        Span<Range> parts = stackalloc Range[3];
        if (value.Split(parts, ' ', StringSplitOptions.RemoveEmptyEntries) != 2
            || !ulong.TryParse(value[parts[0]], NumberStyles.None, CultureInfo.InvariantCulture, out var start)
            || !ulong.TryParse(value[parts[1]], NumberStyles.None, CultureInfo.InvariantCulture, out var stop))
        {
            return "timing must be '<start-time> <stop-time>' in decimal NTP seconds";
        }

        timings.Add(new SdpTiming(start, stop));
        return null;
    }

    private static string? AddBandwidth(List<SdpBandwidth> bandwidths, ReadOnlySpan<char> value)
    {
        var colon = value.IndexOf(':');
        if (colon <= 0
            || !ulong.TryParse(value[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
        {
            return "bandwidth must be '<bwtype>:<bandwidth>'";
        }

        bandwidths.Add(new SdpBandwidth(value[..colon].ToString(), amount));
        return null;
    }

    private static string? AddAttribute(List<SdpAttribute> attributes, ReadOnlySpan<char> value)
    {
        // RFC 4566 §9: att-field is a token; the value is everything after the first colon, kept verbatim.
        var colon = value.IndexOf(':');
        var name = colon < 0 ? value : value[..colon];
        if (name.IsEmpty || !IsToken(name))
        {
            return "attribute name must be a token";
        }

        attributes.Add(new SdpAttribute(name.ToString(), colon < 0 ? null : value[(colon + 1)..].ToString()));
        return null;
    }

    // m=<media> <port>[/<number of ports>] <proto> <fmt> ... (RFC 4566 §5.14).
    private static string? TryParseMediaLine(ReadOnlySpan<char> value, out SdpMediaDescription? media)
    {
        media = null;
        var tokens = new List<string>();
        foreach (var range in value.Split(' '))
        {
            if (!value[range].IsEmpty)
            {
                tokens.Add(value[range].ToString());
            }
        }

        if (tokens.Count < 3)
        {
            return "media line must be '<media> <port> <proto> <fmt> ...'";
        }

        if (!IsToken(tokens[0]) || !IsProtocol(tokens[2]))
        {
            return "media type and transport protocol must be tokens";
        }

        var portText = tokens[1].AsSpan();
        var slash = portText.IndexOf('/');
        int? portCount = null;
        if (slash >= 0)
        {
            if (!int.TryParse(portText[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count == 0)
            {
                return $"bad number of ports in '{Shorten(tokens[1])}'";
            }

            portCount = count;
            portText = portText[..slash];
        }

        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            return $"bad media port '{Shorten(tokens[1])}'";
        }

        // A rejected stream (port 0) is sometimes sent without formats; an active one needs at least one.
        if (tokens.Count == 3 && port != 0)
        {
            return "media line has no formats";
        }

        media = new SdpMediaDescription(tokens[0], port, tokens[2], tokens.Skip(3)) { PortCount = portCount };
        if (media.IsRtp)
        {
            foreach (var format in media.Formats)
            {
                if (!SdpMediaDescription.TryParsePayloadType(format, out _))
                {
                    media = null;
                    return $"RTP payload type '{Shorten(format)}' is not a number from 0 to 127";
                }
            }
        }

        return null;
    }

    // proto = token *("/" token) (RFC 4566 §9), e.g. RTP/AVP or UDP/TLS/RTP/SAVPF.
    private static bool IsProtocol(ReadOnlySpan<char> text)
    {
        foreach (var range in text.Split('/'))
        {
            if (text[range].IsEmpty || !IsToken(text[range]))
            {
                return false;
            }
        }

        return true;
    }

    // token-char from RFC 4566 §9: visible ASCII except the separators below.
    private static bool IsToken(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (c <= ' ' || c >= 0x7F || c is '"' or '(' or ')' or ',' or '/' or ':' or ';' or '<' or '=' or '>' or '?' or '@' or '[' or '\\' or ']')
            {
                return false;
            }
        }

        return true;
    }

    private static string Shorten(string token) => token.Length > 20 ? string.Concat(token.AsSpan(0, 20), "...") : token;

    private static string Describe(int lineNumber, ReadOnlySpan<char> line, string problem)
    {
        var quoted = line.Length > _maxQuotedLineLength ? string.Concat(line[.._maxQuotedLineLength], "...") : line.ToString();

        // Keep control characters out of messages that end up in logs.
        quoted = string.Create(quoted.Length, quoted, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = char.IsControl(source[i]) ? '?' : source[i];
            }
        });
        return $"line {lineNumber}: {problem} ('{quoted}')";
    }
}
