namespace CallSwitch.Calls.Auth;

/// <summary>
/// The outcome of authenticating a request: either the authenticated agent, or the response
/// to send instead — a 401/407 challenge (with its WWW-/Proxy-Authenticate header values),
/// 403 for a blocked source, 400 for garbage credentials.
/// </summary>
public sealed record AuthDecision(string? User, int StatusCode, string? Reason, Sip.Messages.HeaderId ChallengeHeader, IReadOnlyList<string> Challenges)
{
    /// <summary>True when the request is authenticated.</summary>
    public bool IsAuthenticated => User is not null;

    internal static AuthDecision Authenticated(string user) => new(user, 0, null, default, []);

    internal static AuthDecision Refuse(int code, string reason) => new(null, code, reason, default, []);
}
