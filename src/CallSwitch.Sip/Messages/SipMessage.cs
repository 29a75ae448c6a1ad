using System.Text;

namespace CallSwitch.Sip.Messages;

/// <summary>
/// A SIP request or response (RFC 3261 §7). A parsed message keeps a reference to the
/// bytes it was parsed from: whoever hands the bytes to the parser gives up the right to
/// change them while the message lives. Typed header views are parsed on first use and cached.
/// </summary>
public abstract class SipMessage
{
    private NameAddress? _from;
    private NameAddress? _to;
    private ViaHeader? _topVia;
    private string? _callId;
    private CSeqHeader? _cseq;

    private protected SipMessage(SipHeaderCollection headers, ReadOnlyMemory<byte> body)
    {
        Headers = headers;
        Body = body;
    }

    /// <summary>The header lines, in order.</summary>
    public SipHeaderCollection Headers { get; }

    /// <summary>The message body (empty when there is none).</summary>
    public ReadOnlyMemory<byte> Body { get; set; }

    /// <summary>True for a request, false for a response.</summary>
    public abstract bool IsRequest { get; }

    /// <summary>The Call-ID, or null when absent.</summary>
    public string? CallId => _callId ??= Headers[HeaderId.CallId];

    /// <summary>The parsed From header, or null when absent or malformed.</summary>
    public NameAddress? From => _from ??= NameAddress.TryParse(Headers[HeaderId.From], out var v) ? v : null;

    /// <summary>The parsed To header, or null when absent or malformed.</summary>
    public NameAddress? To => _to ??= NameAddress.TryParse(Headers[HeaderId.To], out var v) ? v : null;

    /// <summary>The topmost Via, or null when absent or malformed.</summary>
    public ViaHeader? TopVia
    {
        get
        {
            if (_topVia is null)
            {
                int i = Headers.IndexOf(HeaderId.Via);
                if (i >= 0)
                {
                    var first = new List<string>(1);
                    HeaderValueSplitter.Split(Headers.ValueAt(i), first);
                    if (first.Count > 0 && ViaHeader.TryParse(first[0], out var via))
                    {
                        _topVia = via;
                    }
                }
            }

            return _topVia;
        }
    }

    /// <summary>The parsed CSeq, or null when absent or malformed.</summary>
    public CSeqHeader? CSeq => _cseq ??= CSeqHeader.TryParse(Headers[HeaderId.CSeq], out var v) ? v : null;

    /// <summary>Max-Forwards, or null when absent or not a number.</summary>
    public int? MaxForwards => ParseInt(HeaderId.MaxForwards);

    /// <summary>Content-Length as written, or null when absent or not a number.</summary>
    public int? ContentLength => ParseInt(HeaderId.ContentLength);

    /// <summary>Expires, or null when absent or not a number.</summary>
    public int? Expires => ParseInt(HeaderId.Expires);

    /// <summary>The media type of the body without parameters (for example <c>application/sdp</c>), or null.</summary>
    public string? ContentType
    {
        get
        {
            string? value = Headers[HeaderId.ContentType];
            if (value is null)
            {
                return null;
            }

            int semi = value.IndexOf(';');
            return (semi < 0 ? value : value[..semi]).Trim().ToLowerInvariant();
        }
    }

    /// <summary>Every Via, top first (the top one is <see cref="TopVia"/>'s object: parsed once per message).</summary>
    public List<ViaHeader> GetVias()
    {
        List<string> values = Headers.GetValues(HeaderId.Via);
        var result = new List<ViaHeader>(values.Count);
        for (int i = 0; i < values.Count; i++)
        {
            if (i == 0 && _topVia is not null)
            {
                result.Add(_topVia);
            }
            else if (ViaHeader.TryParse(values[i], out var via))
            {
                result.Add(via);
                if (i == 0)
                {
                    _topVia = via;
                }
            }
        }

        return result;
    }

    /// <summary>Every Contact (a <c>*</c> contact is returned as a <see cref="ContactHeader"/> with <see cref="ContactHeader.IsStar"/>).</summary>
    public List<ContactHeader> GetContacts()
    {
        var result = new List<ContactHeader>();
        foreach (string value in Headers.GetValues(HeaderId.Contact))
        {
            if (ContactHeader.TryParse(value, out var contact))
            {
                result.Add(contact);
            }
        }

        return result;
    }

    /// <summary>Sets a body and its Content-Type and Content-Length headers.</summary>
    public void SetBody(ReadOnlyMemory<byte> body, string? contentType)
    {
        Body = body;
        if (contentType is null)
        {
            Headers.Remove(HeaderId.ContentType);
        }
        else
        {
            Headers.Set(HeaderId.ContentType, contentType);
        }

        Headers.Set(HeaderId.ContentLength, body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>The body as UTF-8 text.</summary>
    public string BodyText => Encoding.UTF8.GetString(Body.Span);

    /// <summary>Forgets cached typed views after headers were changed.</summary>
    public void InvalidateCaches()
    {
        _from = null;
        _to = null;
        _topVia = null;
        _callId = null;
        _cseq = null;
    }

    /// <summary>Caches <paramref name="via"/> as the top Via: its caller parsed (or rewrote) the first value of the first Via line into it.</summary>
    internal void CacheTopVia(ViaHeader via) => _topVia = via;

    /// <summary>The message in wire form.</summary>
    public byte[] ToBytes() => SipMessageWriter.ToBytes(this);

    /// <inheritdoc />
    public override string ToString() => Encoding.UTF8.GetString(ToBytes());

    private int? ParseInt(HeaderId id)
    {
        if (!Headers.TryGetRawValue(id, out var raw))
        {
            return null;
        }

        raw = raw.Trim(" \t\r\n"u8);
        if (raw.IsEmpty || raw.Length > 10)
        {
            return null;
        }

        long n = 0;
        foreach (byte b in raw)
        {
            if (b is < (byte)'0' or > (byte)'9')
            {
                return null;
            }

            n = (n * 10) + (b - '0');
        }

        return n > int.MaxValue ? null : (int)n;
    }
}
