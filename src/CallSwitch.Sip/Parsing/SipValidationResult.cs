using CallSwitch.Sip.Messages;

namespace CallSwitch.Sip.Parsing;

/// <summary>
/// The outcome of validating a parsed message: valid, or the status code and reason a server
/// answers with (RFC 3261 §8.2, §21), plus the headers that answer needs (Unsupported for 420,
/// Accept for 415, Allow for 405, Warning for 406…). A result that cannot be answered (an ACK,
/// or any response) has <see cref="CanRespond"/> false: the message is simply discarded.
/// </summary>
public sealed record SipValidationResult
{
    private static readonly IReadOnlyList<SipHeader> NoHeaders = [];

    private SipValidationResult(int statusCode, string reason, IReadOnlyList<SipHeader> extraHeaders, bool canRespond)
    {
        StatusCode = statusCode;
        Reason = reason;
        ExtraHeaders = extraHeaders;
        CanRespond = canRespond;
    }

    /// <summary>The result of a message that passed every check.</summary>
    public static SipValidationResult Valid { get; } = new(0, string.Empty, NoHeaders, canRespond: false);

    /// <summary>True when the message passed every check.</summary>
    public bool IsValid => StatusCode == 0;

    /// <summary>The status code to answer with (400 to 699), or 0 when valid.</summary>
    public int StatusCode { get; }

    /// <summary>Why the message was refused, usable as the reason phrase; empty when valid.</summary>
    public string Reason { get; }

    /// <summary>Headers the error response must carry (for example <c>Unsupported</c> with a 420).</summary>
    public IReadOnlyList<SipHeader> ExtraHeaders { get; }

    /// <summary>True when an error response should be sent; false for valid messages, ACKs and responses.</summary>
    public bool CanRespond { get; }

    /// <summary>A refusal that is answered with <paramref name="statusCode"/>.</summary>
    public static SipValidationResult Reject(int statusCode, string reason, params SipHeader[] extraHeaders)
    {
        if (statusCode is < 400 or > 699)
        {
            throw new ArgumentOutOfRangeException(nameof(statusCode), "A refusal is a 4xx, 5xx or 6xx status.");
        }

        return new SipValidationResult(statusCode, reason, extraHeaders.Length == 0 ? NoHeaders : extraHeaders, canRespond: true);
    }

    /// <summary>A refusal that is not answered (a malformed response or ACK is dropped, RFC 3261 §17.2.3, §8.1.3.3).</summary>
    public static SipValidationResult Discard(int statusCode, string reason) =>
        new(statusCode is >= 400 and <= 699 ? statusCode : 400, reason, NoHeaders, canRespond: false);

    /// <summary>The same refusal, marked as not to be answered.</summary>
    public SipValidationResult WithoutResponse() => IsValid || !CanRespond ? this : new(StatusCode, Reason, ExtraHeaders, canRespond: false);

    /// <inheritdoc />
    public override string ToString() => IsValid ? "valid" : $"{StatusCode} {Reason}";
}
