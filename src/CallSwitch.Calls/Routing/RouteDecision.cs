using CallSwitch.Calls.Sessions;

namespace CallSwitch.Calls.Routing;

/// <summary>A call plan, or the status that refuses the call and why.</summary>
public sealed record RouteDecision(CallPlan? Plan, int Status, string? Reason)
{
    public static RouteDecision To(CallPlan plan) => new(plan, 0, null);

    public static RouteDecision Refuse(int status, string reason) => new(null, status, reason);
}
