using CallSwitch.Sip.Messages;

namespace CallSwitch.Calls.Auth;

/// <summary>
/// The outcome of authenticating a request: either the authenticated agent, or the response
/// to send instead (a 401/407 challenge, 403 for a blocked source, 400 for garbage credentials).
/// </summary>
public sealed record AuthDecision(string? User, SipResponse? Response)
{
    /// <summary>True when the request is authenticated.</summary>
    public bool IsAuthenticated => User is not null;
}
