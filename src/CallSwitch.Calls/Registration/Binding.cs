using CallSwitch.Sip.Messages;
using CallSwitch.Sip.Transport;

namespace CallSwitch.Calls.Registration;

/// <summary>
/// One registered contact of an agent (RFC 3261 §10.3). <see cref="Flow"/> is where the
/// REGISTER came from: requests to the agent go there (its NAT binding, or the TCP connection
/// it opened), not necessarily to the Contact's host and port.
/// </summary>
public sealed record Binding(
    string User,
    string ContactUri,
    NameAddress Contact,
    DateTimeOffset ExpiresAt,
    string CallId,
    uint CSeq,
    SipFlow Flow,
    double Q,
    string? UserAgent,
    DateTimeOffset RegisteredAt)
{
    /// <summary>Seconds left before expiry, rounded up, never negative.</summary>
    public int SecondsLeft(DateTimeOffset now) => (int)Math.Max(0, Math.Ceiling((ExpiresAt - now).TotalSeconds));
}
