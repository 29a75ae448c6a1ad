namespace CallSwitch.Recording.Ogg;

/// <summary>
/// What an OpusTags header (RFC 7845 §5.2) of a recording says: the recording and campaign
/// identifiers and the vendor string. Deliberately no free-form comments: a recording file must
/// never carry the prospect's number or any other personal data outside the encrypted audio.
/// </summary>
/// <param name="RecordingId">Written as <c>RECORDING_ID=…</c>.</param>
/// <param name="CampaignId">Written as <c>CAMPAIGN_ID=…</c>.</param>
public sealed record RecordingTags(string RecordingId, string CampaignId)
{
    /// <summary>The vendor string (RFC 7845 §5.2).</summary>
    public string Vendor { get; init; } = "CallSwitch";
}
