using CallSwitch.Calls.Sessions;

namespace CallSwitch.Calls.Routing;

/// <summary>A call plan, or the status that refuses the call and why.</summary>
/// <param name="Plan">Where the call goes; null when it is refused.</param>
/// <param name="Status">The refusing status code; 0 with a plan.</param>
/// <param name="Reason">The refusing reason phrase.</param>
public sealed record RouteDecision(CallPlan? Plan, int Status, string? Reason)
{
    /// <summary>
    /// Why, in words, when the reason phrase alone does not say it (the normaliser's "the number
    /// is too short for FR" behind a 484): sent in a Warning header and logged. Never holds the
    /// dialled number.
    /// </summary>
    public string? Detail { get; init; }

    public static RouteDecision To(CallPlan plan) => new(plan, 0, null);

    public static RouteDecision Refuse(int status, string reason, string? detail = null) => new(null, status, reason) { Detail = detail };
}
