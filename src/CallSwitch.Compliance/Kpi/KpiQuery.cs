namespace CallSwitch.Compliance.Kpi;

/// <summary>Which calls the indicators cover: a period (calls started in it; erasures and listens made in it) and optionally one campaign.</summary>
/// <param name="From">Start of the period (included).</param>
/// <param name="Before">End of the period (excluded).</param>
/// <param name="CampaignId">One campaign, or null for all.</param>
public sealed record KpiQuery(DateTimeOffset From, DateTimeOffset Before, string? CampaignId = null);
