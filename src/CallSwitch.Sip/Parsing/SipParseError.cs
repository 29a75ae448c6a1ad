using CallSwitch.Sip.Messages;

namespace CallSwitch.Sip.Parsing;

/// <summary>
/// Why a message was refused, with the status code a server answers with (RFC 3261 §21)
/// and, when the start line and headers were readable, the partly parsed message so that a
/// response can still be routed back (its Via, From, To, Call-ID and CSeq).
/// </summary>
public sealed record SipParseError(int StatusCode, string Reason, SipMessage? Partial = null)
{
    /// <inheritdoc />
    public override string ToString() => $"{StatusCode} {Reason}";
}
