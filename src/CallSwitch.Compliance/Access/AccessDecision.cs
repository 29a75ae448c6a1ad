namespace CallSwitch.Compliance.Access;

/// <summary>The authorisation service's answer: allowed (and under which grant) or denied with a reason a person can read.</summary>
/// <param name="Allowed">Whether the action may go ahead.</param>
/// <param name="Reason">Why: the grant that allows it, or what is missing.</param>
public readonly record struct AccessDecision(bool Allowed, string Reason)
{
    /// <summary>Allowed under a grant.</summary>
    public static AccessDecision Allow(RoleGrant grant) => new(true, $"allowed as {grant}");

    /// <summary>Denied, with the reason.</summary>
    public static AccessDecision Deny(string reason) => new(false, reason);
}
