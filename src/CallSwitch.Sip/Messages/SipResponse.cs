using System.Text;

namespace CallSwitch.Sip.Messages;

/// <summary>A SIP response (RFC 3261 §7.2).</summary>
public sealed class SipResponse : SipMessage
{
    private string? _reason;
    private readonly int _reasonStart;
    private readonly int _reasonLength;

    internal SipResponse(int statusCode, SipHeaderCollection headers, int reasonStart, int reasonLength, ReadOnlyMemory<byte> body)
        : base(headers, body)
    {
        StatusCode = statusCode;
        _reasonStart = reasonStart;
        _reasonLength = reasonLength;
    }

    /// <summary>Creates a response built by the stack.</summary>
    public SipResponse(int statusCode, string? reasonPhrase = null)
        : base(new SipHeaderCollection(), ReadOnlyMemory<byte>.Empty)
    {
        if (statusCode is < 100 or > 699)
        {
            throw new ArgumentOutOfRangeException(nameof(statusCode), "A SIP status code has three digits, 100 to 699.");
        }

        StatusCode = statusCode;
        _reason = reasonPhrase ?? SipStatus.DefaultReason(statusCode);
    }

    /// <inheritdoc />
    public override bool IsRequest => false;

    /// <summary>The status code, 100 to 699.</summary>
    public int StatusCode { get; }

    /// <summary>The reason phrase (may be empty, RFC 3261 §25.1 allows it).</summary>
    public string ReasonPhrase
    {
        get => _reason ??= Encoding.UTF8.GetString(Headers.Source.Span.Slice(_reasonStart, _reasonLength));
        set => _reason = value ?? string.Empty;
    }

    /// <summary>True for 1xx.</summary>
    public bool IsProvisional => StatusCode < 200;

    /// <summary>True for 2xx.</summary>
    public bool IsSuccess => StatusCode is >= 200 and < 300;

    /// <summary>True for a response from 200 to 699.</summary>
    public bool IsFinal => StatusCode >= 200;
}
