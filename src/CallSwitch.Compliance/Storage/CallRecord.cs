namespace CallSwitch.Compliance.Storage;

/// <summary>
/// One call through the switch, recorded or not (the KPIs count both). Saved when the call starts
/// and saved again, with the same id, as it progresses and when it ends.
/// </summary>
public sealed record CallRecord
{
    /// <summary>The switch's id of the call; unique.</summary>
    public required string CallId { get; init; }

    /// <summary>Who placed the call.</summary>
    public required CallDirection Direction { get; init; }

    /// <summary>The agent's id, once known (an inbound call may end before one is chosen).</summary>
    public string? AgentId { get; init; }

    /// <summary>The campaign's id, if the call belongs to one.</summary>
    public string? CampaignId { get; init; }

    /// <summary>The prospect's number in E.164 form; null when withheld (anonymous inbound call).</summary>
    public string? ProspectNumber { get; init; }

    /// <summary>When the call started (INVITE received or sent).</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>When it was answered; null if it never was.</summary>
    public DateTimeOffset? AnsweredAt { get; init; }

    /// <summary>When it ended; null while it lasts.</summary>
    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>Why it ended (the switch's end reason, e.g. AgentHungUp); null while it lasts.</summary>
    public string? EndReason { get; init; }

    /// <summary>The GDPR announcement, if it was played.</summary>
    public AnnouncementPlayback? Announcement { get; init; }

    /// <summary>Whether any part of the call was recorded.</summary>
    public bool Recorded { get; init; }

    /// <summary>
    /// A private call (dialled with the agent's private-call prefix): never recorded nor
    /// supervised, stored without the number or campaign (the store refuses a number on one).
    /// </summary>
    public bool Private { get; init; }
}
