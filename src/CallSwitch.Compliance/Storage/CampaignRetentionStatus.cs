namespace CallSwitch.Compliance.Storage;

/// <summary>Where a campaign's recordings stand with retention.</summary>
/// <param name="CampaignId">The campaign.</param>
/// <param name="Kept">Recordings not erased.</param>
/// <param name="Bytes">Their encrypted files' total size.</param>
/// <param name="NextDeadline">The earliest deadline among the kept recordings no hold covers; null if none.</param>
/// <param name="Held">Kept recordings a hold covers now.</param>
/// <param name="PurgedInLastRun">Recordings of the campaign the last retention run erased.</param>
public sealed record CampaignRetentionStatus(string CampaignId, long Kept, long Bytes, DateTimeOffset? NextDeadline, long Held, long PurgedInLastRun);
