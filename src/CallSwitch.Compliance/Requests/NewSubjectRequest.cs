namespace CallSwitch.Compliance.Requests;

/// <summary>A request to store (see <see cref="SubjectRequestService.OpenAsync"/>).</summary>
/// <param name="Kind">The right exercised.</param>
/// <param name="Number">The number, E.164.</param>
/// <param name="NumberDigest">Its keyed hash.</param>
/// <param name="CampaignId">An objection limited to one campaign; null otherwise.</param>
/// <param name="Reference">The caller's reference.</param>
/// <param name="ReceivedAt">When it was received.</param>
/// <param name="DueAt">Its deadline.</param>
/// <param name="OpenedAt">When it is entered.</param>
/// <param name="OpenedBy">Who enters it.</param>
public sealed record NewSubjectRequest(
    RequestKind Kind,
    string Number,
    string NumberDigest,
    string? CampaignId,
    string? Reference,
    DateTimeOffset ReceivedAt,
    DateTimeOffset DueAt,
    DateTimeOffset OpenedAt,
    string OpenedBy);
