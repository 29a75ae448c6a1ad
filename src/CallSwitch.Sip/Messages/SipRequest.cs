using System.Text;

namespace CallSwitch.Sip.Messages;

/// <summary>A SIP request (RFC 3261 §7.1).</summary>
public sealed class SipRequest : SipMessage
{
    private string? _requestUri;
    private readonly int _uriStart;
    private readonly int _uriLength;
    private AddressUri? _parsedUri;

    internal SipRequest(string method, SipHeaderCollection headers, int uriStart, int uriLength, ReadOnlyMemory<byte> body)
        : base(headers, body)
    {
        Method = method;
        _uriStart = uriStart;
        _uriLength = uriLength;
    }

    /// <summary>Creates a request built by the stack.</summary>
    public SipRequest(string method, string requestUri)
        : base(new SipHeaderCollection(), ReadOnlyMemory<byte>.Empty)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        ArgumentException.ThrowIfNullOrEmpty(requestUri);
        Method = method;
        _requestUri = requestUri;
    }

    /// <inheritdoc />
    public override bool IsRequest => true;

    /// <summary>The method, case-sensitive (RFC 3261 §7.1).</summary>
    public string Method { get; }

    /// <summary>The Request-URI as written.</summary>
    public string RequestUri
    {
        get => _requestUri ??= Encoding.UTF8.GetString(Headers.Source.Span.Slice(_uriStart, _uriLength));
        set
        {
            ArgumentException.ThrowIfNullOrEmpty(value);
            _requestUri = value;
            _parsedUri = null;
        }
    }

    /// <summary>The Request-URI parsed (sip, sips, tel or another absolute URI), or null when it does not parse.</summary>
    public AddressUri? Uri => _parsedUri ??= AddressUri.TryParse(RequestUri, out var uri) ? uri : null;

    /// <summary>The Request-URI bytes as received, without allocating; empty for a request built by the stack.</summary>
    public ReadOnlySpan<byte> RawRequestUri => _requestUri is null ? Headers.Source.Span.Slice(_uriStart, _uriLength) : default;
}
