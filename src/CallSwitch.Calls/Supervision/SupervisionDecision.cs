namespace CallSwitch.Calls.Supervision;

/// <summary>The answer of an <see cref="ISupervisionPolicy"/>: allowed or not, and why (for the audit log, never for the caller).</summary>
/// <param name="Allowed">Whether the session may go ahead.</param>
/// <param name="Reason">Why not (or why yes), in a sentence fit for the audit log.</param>
public sealed record SupervisionDecision(bool Allowed, string Reason)
{
    /// <summary>An allowed session.</summary>
    public static SupervisionDecision Allow(string reason) => new(true, reason);

    /// <summary>A refused session.</summary>
    public static SupervisionDecision Refuse(string reason) => new(false, reason);
}
