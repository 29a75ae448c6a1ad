using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Buffers.Text;
using CallSwitch.Sip.Messages;

namespace CallSwitch.Sip.Parsing;

/// <summary>
/// Parses one SIP message from bytes (RFC 3261 §7). The message keeps a reference to the
/// bytes; no string is made per header (values become strings when asked for). Thread-safe:
/// the parser holds only its limits.
/// </summary>
public sealed class SipMessageParser
{
    private static ReadOnlySpan<byte> Crlf2 => "\r\n\r\n"u8;

    private static ReadOnlySpan<byte> Lf2 => "\n\n"u8;

    private readonly SipParserLimits _limits;

    /// <summary>Creates a parser with these limits.</summary>
    public SipParserLimits Limits => _limits;

    /// <summary>Creates a parser.</summary>
    public SipMessageParser(SipParserLimits? limits = null) => _limits = limits ?? SipParserLimits.Default;

    /// <summary>
    /// Parses a whole message, as a datagram carries it: the body is what follows the head,
    /// cut to Content-Length when that is shorter (RFC 3261 §18.3). Never throws on bad input.
    /// </summary>
    public bool TryParse(ReadOnlyMemory<byte> data, [NotNullWhen(true)] out SipMessage? message, [NotNullWhen(false)] out SipParseError? error)
    {
        message = null;
        error = null;
        ReadOnlySpan<byte> span = data.Span;
        if (span.Length > _limits.MaxMessageBytes)
        {
            error = new SipParseError(513, "Message Too Large");
            return false;
        }

        // RFC 3261 §7.5: CRLFs before the start line are ignored.
        int start = 0;
        while (start < span.Length && span[start] is (byte)'\r' or (byte)'\n')
        {
            start++;
        }

        if (start == span.Length)
        {
            error = new SipParseError(400, "Empty message");
            return false;
        }

        if (!TryFindHeadEnd(span, start, out int headEnd, out int bodyStart))
        {
            error = span.Length - start > _limits.MaxHeadBytes
                ? new SipParseError(513, "Message Too Large")
                : new SipParseError(400, "No empty line after the headers");
            return false;
        }

        if (headEnd - start > _limits.MaxHeadBytes)
        {
            error = new SipParseError(513, "Message Too Large");
            return false;
        }

        ReadOnlySpan<byte> head = span[..headEnd];
        if (!HasOnlyLegalControlBytes(head[start..], out string? controlError))
        {
            error = new SipParseError(400, controlError!);
            return false;
        }

        int lineEnd = head[start..].IndexOf((byte)'\n');
        int startLineEnd = lineEnd < 0 ? headEnd : start + lineEnd;
        int headersStart = lineEnd < 0 ? headEnd : startLineEnd + 1;
        ReadOnlySpan<byte> startLine = TrimCr(span[start..startLineEnd]);

        // Line count is only a capacity hint: folded lines are not headers, so the limit
        // itself is enforced while parsing (a folded header must not count several times).
        int capacity = Math.Min(head[headersStart..].Count((byte)'\n'), _limits.MaxHeaderCount) + 1;
        var headers = new SipHeaderCollection(data, capacity);
        HeaderOutcome outcome = TryParseHeaders(span, headersStart, headEnd, headers, out string? headerError);
        if (outcome == HeaderOutcome.LimitExceeded)
        {
            error = new SipParseError(400, headerError!);
            return false;
        }

        SipMessage? built = BuildStartLine(startLine, start, headers, out SipParseError? lineError);
        if (built is null)
        {
            error = lineError ?? new SipParseError(400, "Malformed start line");
            return false;
        }

        if (outcome == HeaderOutcome.Malformed)
        {
            // The well-formed headers were kept, so a 400 can still be routed back by its Via.
            error = new SipParseError(400, headerError!, built);
            return false;
        }

        if (!TryGetContentLength(headers, out int contentLength, out string? lengthError))
        {
            error = new SipParseError(400, lengthError!, built);
            return false;
        }

        int available = span.Length - bodyStart;
        if (contentLength < 0)
        {
            contentLength = available;
        }
        else if (contentLength > available)
        {
            error = new SipParseError(400, "Content-Length larger than the message body", built);
            return false;
        }

        built.Body = data.Slice(bodyStart, contentLength);
        message = built;
        return true;
    }

    /// <summary>Parses a whole message, or throws <see cref="FormatException"/>; for tests and tools.</summary>
    public SipMessage Parse(ReadOnlyMemory<byte> data) =>
        TryParse(data, out var message, out var error) ? message! : throw new FormatException(error!.ToString());

    /// <summary>
    /// Finds the end of the head: the index of the empty line and the first body byte.
    /// A bare LF line ending is tolerated as well as CRLF.
    /// </summary>
    internal static bool TryFindHeadEnd(ReadOnlySpan<byte> span, int start, out int headEnd, out int bodyStart)
    {
        int crlf = span[start..].IndexOf(Crlf2);
        int lf = span[start..].IndexOf(Lf2);
        if (crlf < 0 && lf < 0)
        {
            // A head that ends with one CRLF at the very end of a datagram has no empty line.
            headEnd = bodyStart = -1;
            return false;
        }

        if (crlf >= 0 && (lf < 0 || crlf < lf))
        {
            headEnd = start + crlf + 2;
            bodyStart = start + crlf + 4;
        }
        else
        {
            headEnd = start + lf + 1;
            bodyStart = start + lf + 2;
        }

        return true;
    }

    private enum HeaderOutcome
    {
        Ok,
        Malformed,
        LimitExceeded,
    }

    /// <summary>
    /// Indexes the header lines. A malformed line is skipped and reported (the rest is still
    /// indexed so that an error response can copy Via, From, To, Call-ID and CSeq, RFC 3261
    /// §8.2.6); exceeding a limit stops at once.
    /// </summary>
    private HeaderOutcome TryParseHeaders(ReadOnlySpan<byte> span, int pos, int headEnd, SipHeaderCollection headers, out string? error)
    {
        error = null;
        int lastNameStart = -1;
        bool lastKept = false;
        while (pos < headEnd)
        {
            int nl = span[pos..headEnd].IndexOf((byte)'\n');
            int lineEnd = nl < 0 ? headEnd : pos + nl;
            int next = lineEnd + 1;
            int contentEnd = lineEnd > pos && span[lineEnd - 1] == '\r' ? lineEnd - 1 : lineEnd;

            if (span[pos] is (byte)' ' or (byte)'\t')
            {
                // RFC 3261 §7.3.1: a line starting with white space continues the previous header.
                if (lastNameStart < 0)
                {
                    error ??= "Continuation line before any header";
                }
                else
                {
                    if (contentEnd - lastNameStart > _limits.MaxHeaderLineBytes)
                    {
                        error = "Header line too long";
                        return HeaderOutcome.LimitExceeded;
                    }

                    if (lastKept)
                    {
                        ref HeaderEntry last = ref headers.EntryAt(headers.Count - 1);
                        last.ValueLength = contentEnd - last.ValueStart;
                        last.IsFolded = true;
                    }
                }

                pos = next;
                continue;
            }

            if (contentEnd - pos > _limits.MaxHeaderLineBytes)
            {
                error = "Header line too long";
                return HeaderOutcome.LimitExceeded;
            }

            lastNameStart = pos;
            lastKept = false;
            ReadOnlySpan<byte> line = span[pos..contentEnd];
            int colon = line.IndexOf((byte)':');
            if (colon <= 0)
            {
                error ??= "Header line without a name and colon";
                pos = next;
                continue;
            }

            // HCOLON = *( SP / HTAB ) ":" SWS
            int nameLength = colon;
            while (nameLength > 0 && line[nameLength - 1] is (byte)' ' or (byte)'\t')
            {
                nameLength--;
            }

            ReadOnlySpan<byte> name = line[..nameLength];
            if (!SipGrammar.IsToken(name))
            {
                error ??= "Header name is not a token";
                pos = next;
                continue;
            }

            if (headers.Count >= _limits.MaxHeaderCount)
            {
                error = "Too Many Headers";
                return HeaderOutcome.LimitExceeded;
            }

            int valueStart = pos + colon + 1;
            headers.AddRaw(HeaderNames.Lookup(name), pos, nameLength, valueStart, contentEnd - valueStart, folded: false);
            lastKept = true;
            pos = next;
        }

        return error is null ? HeaderOutcome.Ok : HeaderOutcome.Malformed;
    }

    /// <summary>
    /// Control bytes in the head: CR only before LF (a bare CR would let a re-written header
    /// be read differently downstream), NUL only as a quoted-pair (RFC 3261 §25.1 allows
    /// <c>"\" %x00</c> inside a quoted string; RFC 4475 §3.1.1.2 intmeth carries one).
    /// </summary>
    private static bool HasOnlyLegalControlBytes(ReadOnlySpan<byte> head, out string? error)
    {
        error = null;
        int i = head.IndexOfAny((byte)0, (byte)'\r');
        while (i >= 0)
        {
            if (head[i] == '\r')
            {
                if (i + 1 >= head.Length || head[i + 1] != '\n')
                {
                    error = "Bare CR in the message head";
                    return false;
                }
            }
            else if (i == 0 || head[i - 1] != '\\')
            {
                error = "NUL byte in the message head";
                return false;
            }

            int next = head[(i + 1)..].IndexOfAny((byte)0, (byte)'\r');
            i = next < 0 ? -1 : i + 1 + next;
        }

        return true;
    }

    private static SipMessage? BuildStartLine(ReadOnlySpan<byte> line, int offset, SipHeaderCollection headers, out SipParseError? error)
    {
        error = null;
        if (line.StartsWith("SIP/"u8))
        {
            return BuildResponse(line, offset, headers, out error);
        }

        // Request-Line = Method SP Request-URI SP SIP-Version CRLF (single spaces, RFC 3261 §7.1).
        int sp1 = line.IndexOf((byte)' ');
        int sp2 = sp1 < 0 ? -1 : line.LastIndexOf((byte)' ');
        if (sp1 <= 0 || sp2 <= sp1 + 1)
        {
            error = new SipParseError(400, "Malformed Request-Line");
            return null;
        }

        ReadOnlySpan<byte> method = line[..sp1];
        ReadOnlySpan<byte> uri = line[(sp1 + 1)..sp2];
        ReadOnlySpan<byte> version = line[(sp2 + 1)..];
        if (!SipGrammar.IsToken(method))
        {
            error = new SipParseError(400, "Method is not a token");
            return null;
        }

        var request = new SipRequest(SipMethods.FromBytes(method), headers, offset + sp1 + 1, uri.Length, ReadOnlyMemory<byte>.Empty);
        if (uri.IndexOfAny(" \t"u8) >= 0)
        {
            error = new SipParseError(400, "White space in the Request-URI", request);
            return null;
        }

        if (!IsSipVersion(version, out bool isTwo))
        {
            error = new SipParseError(400, "Malformed SIP-Version", request);
            return null;
        }

        if (!isTwo)
        {
            error = new SipParseError(505, "Version Not Supported", request);
            return null;
        }

        return request;
    }

    private static SipResponse? BuildResponse(ReadOnlySpan<byte> line, int offset, SipHeaderCollection headers, out SipParseError? error)
    {
        error = null;
        // Status-Line = SIP-Version SP Status-Code SP Reason-Phrase CRLF
        int sp1 = line.IndexOf((byte)' ');
        if (sp1 < 0 || !IsSipVersion(line[..sp1], out bool isTwo) || !isTwo)
        {
            error = new SipParseError(400, "Malformed or unsupported SIP-Version in a response");
            return null;
        }

        ReadOnlySpan<byte> rest = line[(sp1 + 1)..];
        if (rest.Length < 3 || (rest.Length > 3 && rest[3] != ' '))
        {
            error = new SipParseError(400, "Status code is not three digits");
            return null;
        }

        if (!Utf8Parser.TryParse(rest[..3], out int code, out int used) || used != 3 || code is < 100 or > 699)
        {
            error = new SipParseError(400, "Status code out of range");
            return null;
        }

        int reasonStart = rest.Length > 4 ? offset + sp1 + 1 + 4 : offset + line.Length;
        int reasonLength = rest.Length > 4 ? rest.Length - 4 : 0;
        return new SipResponse(code, headers, reasonStart, reasonLength, ReadOnlyMemory<byte>.Empty);
    }

    /// <summary>SIP-Version = "SIP" "/" 1*DIGIT "." 1*DIGIT, case-insensitive; reports whether it is 2.0.</summary>
    private static bool IsSipVersion(ReadOnlySpan<byte> version, out bool isTwo)
    {
        isTwo = false;
        if (version.Length < 7 || !Ascii.EqualsIgnoreCase(version[..4], "SIP/"u8))
        {
            return false;
        }

        ReadOnlySpan<byte> number = version[4..];
        int dot = number.IndexOf((byte)'.');
        if (dot <= 0 || dot == number.Length - 1)
        {
            return false;
        }

        foreach (byte b in number)
        {
            if (b != '.' && b is < (byte)'0' or > (byte)'9')
            {
                return false;
            }
        }

        isTwo = number.SequenceEqual("2.0"u8);
        return true;
    }

    /// <summary>Content-Length (RFC 3261 §20.14): -1 when absent; refused when negative, not a number or repeated with another value.</summary>
    internal static bool TryGetContentLength(SipHeaderCollection headers, out int length, out string? error)
    {
        length = -1;
        error = null;
        int index = headers.IndexOf(HeaderId.ContentLength);
        while (index >= 0)
        {
            ReadOnlySpan<byte> raw = headers.RawValueAt(index);
            if (raw.IsEmpty && headers.ValueAt(index).Length > 0)
            {
                raw = System.Text.Encoding.ASCII.GetBytes(headers.ValueAt(index));
            }

            raw = raw.Trim(" \t\r\n"u8);
            if (raw.IsEmpty || raw.Length > 9 || !Utf8Parser.TryParse(raw, out int value, out int used) || used != raw.Length || value < 0 || raw[0] is (byte)'-' or (byte)'+')
            {
                error = "Content-Length is not a non-negative number";
                return false;
            }

            if (length >= 0 && length != value)
            {
                error = "Several different Content-Length values";
                return false;
            }

            length = value;
            index = headers.IndexOf(HeaderId.ContentLength, index + 1);
        }

        return true;
    }

    private static ReadOnlySpan<byte> TrimCr(ReadOnlySpan<byte> line) =>
        !line.IsEmpty && line[^1] == '\r' ? line[..^1] : line;
}
