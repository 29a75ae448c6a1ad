namespace CallSwitch.Compliance.Access;

/// <summary>
/// One part of the recordings a user's scopes reach, as a store can filter by it: those of one
/// campaign, those of some agents, or both at once (null: no condition on that column). A user's
/// reach is a list of these, any one of which lets a recording in (<see cref="Authorizer.Reach"/>).
/// </summary>
/// <param name="CampaignId">Only this campaign's recordings; null for any campaign.</param>
/// <param name="Agents">Only these agents' recordings (may be empty: none); null for any agent.</param>
public sealed record RecordingReach(string? CampaignId, IReadOnlySet<string>? Agents)
{
    /// <summary>Whether a recording of this campaign and agent is inside.</summary>
    public bool Covers(string? campaignId, string? agentId) =>
        (CampaignId is null || string.Equals(CampaignId, campaignId, StringComparison.Ordinal))
        && (Agents is null || (agentId is not null && Agents.Contains(agentId)));
}
