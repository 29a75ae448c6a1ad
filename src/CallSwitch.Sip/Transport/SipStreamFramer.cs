using System.Buffers.Text;
using CallSwitch.Sip.Parsing;

namespace CallSwitch.Sip.Transport;

/// <summary>
/// Cuts a byte stream (TCP, TLS) into whole SIP messages (RFC 3261 §18.3): the head ends at
/// the first empty line and the body is exactly Content-Length bytes, Content-Length being
/// mandatory on streams (a missing one is read as 0 to stay lenient). Between messages, a
/// CRLFCRLF is an RFC 5626 §3.5.1 keep-alive ping and a lone CRLF a pong.
/// </summary>
/// <remarks>
/// Usage by one reader (not thread-safe): <see cref="GetReadBuffer"/>, read into it,
/// <see cref="Advance"/>, then call <see cref="TryReadFrame"/> until it says
/// <see cref="SipStreamFrameKind.NeedMoreData"/>. Each message is copied into a new exact-size
/// array that the caller owns. After <see cref="SipStreamFrameKind.Error"/> the framer stays
/// in error: the connection must be closed since its byte stream can no longer be trusted.
/// </remarks>
public sealed class SipStreamFramer
{
    private const int MinReadSize = 4096;

    private readonly SipParserLimits _limits;
    private readonly int _capacityLimit;
    private byte[] _buffer;
    private int _start;
    private int _end;

    // Bytes of the current head already searched for the empty line, so that a head arriving
    // a few bytes at a time is not scanned again from its start on every read.
    private int _scanned;

    // Set once the head of the current message was found: the message's total length.
    private int _pendingLength = -1;
    private string? _error;

    /// <summary>Creates a framer bounded by <paramref name="limits"/> (max head and message size).</summary>
    public SipStreamFramer(SipParserLimits? limits = null)
    {
        _limits = limits ?? SipParserLimits.Default;

        // A whole message fits in MaxMessageBytes; a few more bytes let the head search see the
        // empty line of a head of exactly MaxHeadBytes.
        _capacityLimit = Math.Max(_limits.MaxMessageBytes, _limits.MaxHeadBytes + 4);
        _buffer = new byte[Math.Min(MinReadSize * 2, _capacityLimit)];
    }

    /// <summary>Bytes received but not yet returned as frames.</summary>
    public int BufferedBytes => _end - _start;

    /// <summary>Why the stream failed, after <see cref="SipStreamFrameKind.Error"/>.</summary>
    public string? Error => _error;

    /// <summary>
    /// Free space to read into, at least one byte (unless the framer is in error). The memory is
    /// only valid until the next call of <see cref="Advance"/> or <see cref="TryReadFrame"/>.
    /// </summary>
    public Memory<byte> GetReadBuffer()
    {
        if (_start > 0 && (_start == _end || _buffer.Length - _end < MinReadSize))
        {
            // Move the partial message to the front rather than grow.
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_buffer.Length - _end < MinReadSize && _buffer.Length < _capacityLimit)
        {
            int size = Math.Min(_capacityLimit, Math.Max(_buffer.Length * 2, _end + MinReadSize));
            Array.Resize(ref _buffer, size);
        }

        // When the buffer is full at its limit, TryReadFrame has already failed with an error:
        // a message that fits in the limits always completes before that.
        return _buffer.AsMemory(_end, Math.Max(0, _buffer.Length - _end));
    }

    /// <summary>Records that <paramref name="count"/> bytes were read into the last <see cref="GetReadBuffer"/>.</summary>
    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _buffer.Length - _end);
        _end += count;
    }

    /// <summary>Copies <paramref name="data"/> into the buffer (for tests and for transports that do not read into a given buffer).</summary>
    /// <returns>False when the data does not fit; the next <see cref="TryReadFrame"/> then reports the error.</returns>
    public bool Append(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            Span<byte> free = GetReadBuffer().Span;
            if (free.IsEmpty)
            {
                return false;
            }

            int n = Math.Min(free.Length, data.Length);
            data[..n].CopyTo(free);
            Advance(n);
            data = data[n..];

            // Frames must be taken before more bytes fit; the caller does that, but a caller
            // that appends a large block at once needs room: grow is bounded by the limit.
            if (!data.IsEmpty && _end == _buffer.Length && _buffer.Length >= _capacityLimit)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Takes the next frame from the buffered bytes. <paramref name="message"/> is a new array
    /// the caller owns when the result is <see cref="SipStreamFrameKind.Message"/>.
    /// </summary>
    public SipStreamFrameKind TryReadFrame(out byte[]? message)
    {
        message = null;
        if (_error is not null)
        {
            return SipStreamFrameKind.Error;
        }

        if (_pendingLength < 0)
        {
            SipStreamFrameKind? keepAlive = TrySkipKeepAlive();
            if (keepAlive is SipStreamFrameKind kind)
            {
                return kind;
            }

            if (_start == _end)
            {
                return SipStreamFrameKind.NeedMoreData;
            }

            ReadOnlySpan<byte> data = _buffer.AsSpan(_start, _end - _start);
            int from = Math.Max(0, _scanned - 3);
            if (!SipMessageParser.TryFindHeadEnd(data, from, out int headEnd, out int bodyStart))
            {
                _scanned = data.Length;
                if (data.Length > _limits.MaxHeadBytes + 3)
                {
                    return Fail("Message head larger than " + _limits.MaxHeadBytes + " bytes");
                }

                return SipStreamFrameKind.NeedMoreData;
            }

            if (headEnd > _limits.MaxHeadBytes)
            {
                return Fail("Message head larger than " + _limits.MaxHeadBytes + " bytes");
            }

            if (!TryReadContentLength(data[..headEnd], out int contentLength, out string? reason))
            {
                return Fail(reason!);
            }

            if (contentLength > _limits.MaxMessageBytes - bodyStart)
            {
                return Fail("Content-Length " + contentLength + " exceeds the message size limit");
            }

            _pendingLength = bodyStart + contentLength;
        }

        if (_end - _start < _pendingLength)
        {
            return SipStreamFrameKind.NeedMoreData;
        }

        message = _buffer.AsSpan(_start, _pendingLength).ToArray();
        _start += _pendingLength;
        _pendingLength = -1;
        _scanned = 0;
        if (_start == _end)
        {
            _start = _end = 0;
        }

        return SipStreamFrameKind.Message;
    }

    /// <summary>Handles CR and LF bytes found where a message would start (RFC 5626 §3.5.1, RFC 3261 §7.5).</summary>
    private SipStreamFrameKind? TrySkipKeepAlive()
    {
        while (_start < _end)
        {
            ReadOnlySpan<byte> data = _buffer.AsSpan(_start, _end - _start);
            if (data[0] == '\r')
            {
                if (data.Length < 2)
                {
                    return SipStreamFrameKind.NeedMoreData;
                }

                if (data[1] != '\n')
                {
                    // A stray CR: skip it, the message that follows is framed normally.
                    _start++;
                    _scanned = 0;
                    continue;
                }

                _scanned = 0;
                if (data.Length >= 4 && data[2] == '\r' && data[3] == '\n')
                {
                    _start += 4;
                    return SipStreamFrameKind.KeepAlivePing;
                }

                if (data.Length < 4 && (data.Length == 2 || data[2] == '\r'))
                {
                    // Could still become CRLFCRLF: wait to tell a ping from a pong.
                    return SipStreamFrameKind.NeedMoreData;
                }

                _start += 2;
                return SipStreamFrameKind.KeepAlivePong;
            }

            if (data[0] == '\n')
            {
                // A bare LF before a start line is tolerated like the CRLFs of RFC 3261 §7.5.
                _start++;
                _scanned = 0;
                continue;
            }

            return null;
        }

        _start = _end = 0;
        _scanned = 0;
        return null;
    }

    private SipStreamFrameKind Fail(string reason)
    {
        _error = reason;
        return SipStreamFrameKind.Error;
    }

    /// <summary>
    /// Reads Content-Length (or its compact form <c>l</c>) from the head (RFC 3261 §20.14): absent
    /// is 0; a value that is not a plain decimal number, or several different values, fail.
    /// </summary>
    internal static bool TryReadContentLength(ReadOnlySpan<byte> head, out int length, out string? reason)
    {
        length = -1;
        reason = null;

        // Skip the start line.
        int nl = head.IndexOf((byte)'\n');
        int pos = nl < 0 ? head.Length : nl + 1;
        while (pos < head.Length)
        {
            nl = head[pos..].IndexOf((byte)'\n');
            int lineEnd = nl < 0 ? head.Length : pos + nl;
            ReadOnlySpan<byte> line = head[pos..lineEnd];
            pos = lineEnd + 1;
            int colon = line.IndexOf((byte)':');
            if (colon <= 0 || line[0] is (byte)' ' or (byte)'\t')
            {
                continue;
            }

            ReadOnlySpan<byte> name = line[..colon].TrimEnd(" \t"u8);
            if (!System.Text.Ascii.EqualsIgnoreCase(name, "Content-Length"u8) && !System.Text.Ascii.EqualsIgnoreCase(name, "l"u8))
            {
                continue;
            }

            ReadOnlySpan<byte> value = line[(colon + 1)..].Trim(" \t\r"u8);

            // A folded Content-Length value continues on the next lines (RFC 3261 §7.3.1).
            while (value.IsEmpty && pos < head.Length && head[pos] is (byte)' ' or (byte)'\t')
            {
                nl = head[pos..].IndexOf((byte)'\n');
                lineEnd = nl < 0 ? head.Length : pos + nl;
                value = head[pos..lineEnd].Trim(" \t\r"u8);
                pos = lineEnd + 1;
            }

            if (value.IsEmpty || value.Length > 9 || value[0] is < (byte)'0' or > (byte)'9' ||
                !Utf8Parser.TryParse(value, out int parsed, out int used) || used != value.Length)
            {
                reason = "Content-Length is not a non-negative number";
                return false;
            }

            if (length >= 0 && length != parsed)
            {
                reason = "Several different Content-Length values";
                return false;
            }

            length = parsed;
        }

        // RFC 3261 §18.3: Content-Length is mandatory on streams; a missing one is read as an
        // empty body rather than as a reason to close (some agents omit it on bodiless requests).
        if (length < 0)
        {
            length = 0;
        }

        return true;
    }
}
