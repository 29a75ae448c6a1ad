namespace CallSwitch.Compliance.Rules;

/// <summary>
/// A campaign's recording rule: its <c>recording</c> section as the configuration reader checks
/// it, and as calls apply it (<see cref="RecordingPolicy"/>). Immutable; every recording made
/// under it carries its <see cref="Id"/> and the GDPR fields (purposes, legal basis, and the
/// deadline <see cref="RetentionPolicy.Deadline"/> derives from its retention).
/// </summary>
public sealed record RecordingRule
{
    /// <summary>The campaign the rule belongs to.</summary>
    public required string CampaignId { get; init; }

    /// <summary>When calls are recorded; never by default (a campaign without a 'recording' section).</summary>
    public RecordingMode Mode { get; init; } = RecordingMode.Never;

    /// <summary>The share of calls recorded in sample mode (0–100); null in other modes.</summary>
    public int? SamplePercent { get; init; }

    /// <summary>Whether the notice played to the prospect is part of the recording (left channel, before the agent): proof that the prospect was informed.</summary>
    public bool RecordAnnouncement { get; init; } = true;

    /// <summary>
    /// Whether a supervisor who barges in is recorded, on the left channel with the agent (our
    /// side). Listening and whispering supervisors are never recorded.
    /// </summary>
    public bool IncludeBarge { get; init; } = true;

    /// <summary>The longest recording of one call (configured in minutes); the recording stops there, the call goes on.</summary>
    public TimeSpan MaxDuration { get; init; } = TimeSpan.FromMinutes(120);

    /// <summary>The agent's key sequences (pause, resume, start, opposition); never relayed to the prospect.</summary>
    public DtmfKeys Keys { get; init; } = new();

    /// <summary>The key the prospect may press during the notice to refuse the recording; null when none is offered.</summary>
    public char? ProspectOppositionKey { get; init; }

    /// <summary>Why calls are recorded (GDPR Art. 5(1)(b)); at least one unless the mode is never.</summary>
    public IReadOnlyList<string> Purposes { get; init; } = [];

    /// <summary>The lawful basis (GDPR Art. 6(1)); required unless the mode is never.</summary>
    public LegalBasis? LegalBasis { get; init; }

    /// <summary>Days a recording is kept, from its start, before it is purged; required unless the mode is never.</summary>
    public int? RetentionDays { get; init; }

    /// <summary>Whether the rule may record any call (any mode but never).</summary>
    public bool Records => Mode != RecordingMode.Never;

    /// <summary>
    /// The id stored with each recording: campaign and mode as the configuration spells them,
    /// plus the percentage in sample mode (it decided), e.g. <c>spring:always</c>, <c>spring:sample:25</c>.
    /// </summary>
    public string Id => Mode switch
    {
        RecordingMode.Always => $"{CampaignId}:always",
        RecordingMode.OnDemand => $"{CampaignId}:on-demand",
        RecordingMode.Sample => $"{CampaignId}:sample:{SamplePercent ?? 0}",
        _ => $"{CampaignId}:never",
    };
}
