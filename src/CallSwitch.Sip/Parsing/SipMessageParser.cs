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
    // The scan's header index, reused by every parse on this thread (a parse never nests).
    [ThreadStatic]
    private static HeaderEntry[]? t_scratch;

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

        // One pass over the head: it finds the lines, the empty line that ends them, any illegal
        // control byte, and indexes the headers into a per-thread scratch array (their number is
        // known only at the end, when they are copied into an array of exactly that size).
        HeaderEntry[] scratch = t_scratch ??= new HeaderEntry[32];
        HeadScan scan = ScanHead(span, start, ref scratch);
        t_scratch = scratch;
        if (scan.TooLarge || (scan.NoEmptyLine && span.Length - start > _limits.MaxHeadBytes))
        {
            error = new SipParseError(513, "Message Too Large");
            return false;
        }

        if (scan.NoEmptyLine)
        {
            error = new SipParseError(400, "No empty line after the headers");
            return false;
        }

        if (scan.ControlError is not null)
        {
            error = new SipParseError(400, scan.ControlError);
            return false;
        }

        if (scan.Outcome == HeaderOutcome.LimitExceeded)
        {
            error = new SipParseError(400, scan.HeaderError!);
            return false;
        }

        int bodyStart = scan.BodyStart;
        ReadOnlySpan<byte> startLine = span[start..scan.StartLineEnd];
        var headers = new SipHeaderCollection(data, scratch.AsSpan(0, scan.Count));
        HeaderOutcome outcome = scan.Outcome;
        string? headerError = scan.HeaderError;
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
    /// Finds the end of the head: the index of the empty line and the first body byte (for the
    /// stream framer, which must find it before it knows the message's length). A bare LF line
    /// ending is tolerated as well as CRLF.
    /// </summary>
    internal static bool TryFindHeadEnd(ReadOnlySpan<byte> span, int start, out int headEnd, out int bodyStart)
    {
        int crlf = span[start..].IndexOf("\r\n\r\n"u8);
        int lf = span[start..].IndexOf("\n\n"u8);
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

    /// <summary>
    /// Reads the head line by line (RFC 3261 §7): each line ends at CRLF, or at a bare LF
    /// (tolerated); the head ends at the first empty line (<c>CRLF CRLF</c> or <c>LF LF</c>).
    /// On the way it notes the first illegal control byte: CR only before LF (a bare CR would
    /// let a re-written header be read differently downstream), NUL only as a quoted-pair
    /// (RFC 3261 §25.1 allows <c>"\" %x00</c> inside a quoted string; RFC 4475 §3.1.1.2
    /// intmeth carries one). Header lines are indexed into <paramref name="entries"/> (grown
    /// when full): a malformed line is skipped and reported (the rest is still indexed so that
    /// an error response can copy Via, From, To, Call-ID and CSeq, RFC 3261 §8.2.6); exceeding
    /// a limit stops the indexing, not the scan.
    /// </summary>
    private HeadScan ScanHead(ReadOnlySpan<byte> span, int start, ref HeaderEntry[] entries)
    {
        var scan = new HeadScan { StartLineEnd = -1 };
        int pos = start;
        bool previousCrLf = false;
        int lastNameStart = -1;
        bool lastKept = false;
        while (true)
        {
            if (pos - start > _limits.MaxHeadBytes)
            {
                scan.TooLarge = true;
                return scan;
            }

            // The end of this line: one search for CR, LF or NUL per line (usually its CRLF).
            int contentEnd;
            int next;
            bool crlf;
            int from = pos;
            while (true)
            {
                int found = span[from..].IndexOfAny((byte)'\r', (byte)'\n', (byte)0);
                if (found < 0)
                {
                    scan.NoEmptyLine = true;
                    return scan;
                }

                int i = from + found;
                if (span[i] == '\n')
                {
                    (contentEnd, next, crlf) = (i, i + 1, false);
                    break;
                }

                if (span[i] == '\r' && i + 1 < span.Length && span[i + 1] == '\n')
                {
                    (contentEnd, next, crlf) = (i, i + 2, true);
                    break;
                }

                if (span[i] == '\r')
                {
                    scan.ControlError ??= "Bare CR in the message head";
                }
                else if (i == start || span[i - 1] != '\\')
                {
                    scan.ControlError ??= "NUL byte in the message head";
                }

                from = i + 1;
            }

            // An empty line ends the head: LF LF, or CRLF CRLF (not LF CRLF).
            if (contentEnd == pos && (!crlf || previousCrLf))
            {
                scan.HeadEnd = pos;
                scan.BodyStart = next;
                return scan;
            }

            previousCrLf = crlf;
            if (scan.StartLineEnd < 0)
            {
                scan.StartLineEnd = contentEnd;
            }
            else if (scan.Outcome != HeaderOutcome.LimitExceeded)
            {
                IndexHeaderLine(span, pos, contentEnd, ref entries, ref scan, ref lastNameStart, ref lastKept);
            }

            pos = next;
        }
    }

    private void IndexHeaderLine(ReadOnlySpan<byte> span, int pos, int contentEnd, ref HeaderEntry[] entries, ref HeadScan scan, ref int lastNameStart, ref bool lastKept)
    {
        if (contentEnd > pos && span[pos] is (byte)' ' or (byte)'\t')
        {
            // RFC 3261 §7.3.1: a line starting with white space continues the previous header.
            if (lastNameStart < 0)
            {
                scan.HeaderError ??= "Continuation line before any header";
                scan.Outcome = HeaderOutcome.Malformed;
            }
            else if (contentEnd - lastNameStart > _limits.MaxHeaderLineBytes)
            {
                Exceeded(ref scan, "Header line too long");
            }
            else if (lastKept)
            {
                ref HeaderEntry last = ref entries[scan.Count - 1];
                last.ValueLength = contentEnd - last.ValueStart;
                last.IsFolded = true;
            }

            return;
        }

        if (contentEnd - pos > _limits.MaxHeaderLineBytes)
        {
            Exceeded(ref scan, "Header line too long");
            return;
        }

        lastNameStart = pos;
        lastKept = false;

        // name HCOLON: the name's bytes are checked and hashed in one go; HCOLON = *( SP / HTAB ) ":" SWS.
        uint hash = HeaderNames.HashSeed;
        int i = pos;
        while (i < contentEnd && SipGrammar.IsTokenByte(span[i]))
        {
            hash = HeaderNames.HashStep(hash, span[i]);
            i++;
        }

        int nameEnd = i;
        while (i < contentEnd && span[i] is (byte)' ' or (byte)'\t')
        {
            i++;
        }

        if (nameEnd == pos || i == contentEnd || span[i] != ':')
        {
            // Which fault: the first colon's place tells (none, or nothing before it: no name).
            int colon = span[pos..contentEnd].IndexOf((byte)':');
            scan.HeaderError ??= colon <= 0 ? "Header line without a name and colon" : "Header name is not a token";
            scan.Outcome = HeaderOutcome.Malformed;
            return;
        }

        if (scan.Count >= _limits.MaxHeaderCount)
        {
            Exceeded(ref scan, "Too Many Headers");
            return;
        }

        if (scan.Count == entries.Length)
        {
            Array.Resize(ref entries, entries.Length * 2);
        }

        int valueStart = i + 1;
        entries[scan.Count++] = new HeaderEntry
        {
            Id = HeaderNames.Lookup(span[pos..nameEnd], hash),
            IsRaw = true,
            NameStart = pos,
            ValueStart = valueStart,
            ValueLength = contentEnd - valueStart,
        };
        lastKept = true;
    }

    private static void Exceeded(ref HeadScan scan, string reason)
    {
        scan.HeaderError = reason;
        scan.Outcome = HeaderOutcome.LimitExceeded;
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

}
