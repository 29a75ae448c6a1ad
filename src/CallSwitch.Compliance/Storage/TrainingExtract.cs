namespace CallSwitch.Compliance.Storage;

/// <summary>
/// An anonymised training extract: the agent's channel of a recording (the prospect's removed),
/// encrypted under its own key, kept until its own short deadline. It names its campaign and
/// agent (what it is for: training that agent), never the call, the recording or the number.
/// </summary>
public sealed record TrainingExtract
{
    /// <summary>The extract's own id (also in its Ogg tags).</summary>
    public required Guid Id { get; init; }

    /// <summary>The campaign of the recording it came from.</summary>
    public required string CampaignId { get; init; }

    /// <summary>The agent heard in it.</summary>
    public required string AgentId { get; init; }

    /// <summary>When it was made.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Who made it.</summary>
    public required string CreatedBy { get; init; }

    /// <summary>When it must be gone (the campaign's extract retention from its creation).</summary>
    public required DateTimeOffset RetentionUntil { get; init; }

    /// <summary>Its data key.</summary>
    public required Guid KeyId { get; init; }

    /// <summary>The encrypted file.</summary>
    public required string FilePath { get; init; }

    /// <summary>How much audio it holds.</summary>
    public required TimeSpan Duration { get; init; }
}
