namespace CallSwitch.Compliance.Storage;

/// <summary>What the retention sidecar needs of a live (not erased, not in progress) recording; never its number.</summary>
/// <param name="Id">The recording.</param>
/// <param name="CampaignId">Its campaign.</param>
/// <param name="RuleId">The rule that recorded it.</param>
/// <param name="StartedAt">When recording started (retention counts from here).</param>
/// <param name="RetentionUntil">The stored deadline.</param>
/// <param name="Held">Whether a legal hold covers it now.</param>
/// <param name="ErasingSince">When an erasure of it began, if one did and was not finished.</param>
public sealed record RetentionCandidate(
    Guid Id,
    string CampaignId,
    string RuleId,
    DateTimeOffset StartedAt,
    DateTimeOffset RetentionUntil,
    bool Held,
    DateTimeOffset? ErasingSince);
