namespace CallSwitch.Compliance.Requests;

/// <summary>A number the switch must not call.</summary>
/// <param name="Number">E.164.</param>
/// <param name="CampaignId">The campaign it is barred from; null for every campaign.</param>
/// <param name="AddedAt">When it was listed.</param>
/// <param name="AddedBy">Who listed it.</param>
/// <param name="Source">Why: the objection's code (<c>DSR-17</c>) or the imported file.</param>
public sealed record DoNotCallEntry(string Number, string? CampaignId, DateTimeOffset AddedAt, string AddedBy, string Source);
