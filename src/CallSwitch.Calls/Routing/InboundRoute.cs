namespace CallSwitch.Calls.Routing;

/// <summary>Where a call from a trunk to one of our numbers goes.</summary>
public sealed record InboundRoute(string Did, string? Agent, string? Team, string? CampaignId);
