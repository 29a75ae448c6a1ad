
using CallSwitch.Compliance.Rules;
using CallSwitch.Configuration;
namespace CallSwitch.Calls.Recording;

/// <summary>
/// A campaign's recording rule as calls apply it (built from the campaign's <c>recording</c>
/// section when the configuration is loaded). Immutable; every recording made under it carries
/// its <see cref="Id"/> and the GDPR fields.
/// </summary>
public sealed record RecordingRule
{
    /// <summary>The campaign the rule belongs to.</summary>
    public required string CampaignId { get; init; }

    /// <summary>When calls are recorded.</summary>
    public required RecordingMode Mode { get; init; }

    /// <summary>The share of calls recorded in sample mode (0–100).</summary>
    public int SamplePercent { get; init; }

    /// <summary>Whether the notice played to the prospect is part of the recording (left channel, before the agent).</summary>
    public bool RecordAnnouncement { get; init; } = true;

    /// <summary>The longest recording of one call; the recording stops there, the call goes on.</summary>
    public TimeSpan MaxDuration { get; init; } = TimeSpan.FromMinutes(120);

    /// <summary>The agent's key sequences (pause, resume, start, opposition); never relayed to the prospect.</summary>
    public DtmfKeysConfig Keys { get; init; } = new();

    /// <summary>The key the prospect may press during the notice to refuse the recording; null when none is offered.</summary>
    public char? ProspectOppositionKey { get; init; }

    /// <summary>Why calls are recorded (GDPR Art. 5(1)(b)).</summary>
    public IReadOnlyList<string> Purposes { get; init; } = [];

    /// <summary>The lawful basis (GDPR Art. 6(1)).</summary>
    public LegalBasis? LegalBasis { get; init; }

    /// <summary>Days a recording is kept before it is purged.</summary>
    public int? RetentionDays { get; init; }

    /// <summary>
    /// The id stored with each recording: campaign and mode as the configuration spells them,
    /// plus the percentage in sample mode (it decided), e.g. <c>spring:always</c>, <c>spring:sample:25</c>.
    /// </summary>
    public string Id => Mode switch
    {
        RecordingMode.Always => $"{CampaignId}:always",
        RecordingMode.OnDemand => $"{CampaignId}:on-demand",
        RecordingMode.Sample => $"{CampaignId}:sample:{SamplePercent}",
        _ => $"{CampaignId}:never",
    };

    /// <summary>The rule of a campaign's configuration.</summary>
    public static RecordingRule FromConfig(string campaignId, RecordingConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new RecordingRule
        {
            CampaignId = campaignId,
            Mode = config.Mode,
            SamplePercent = config.SamplePercent ?? 0,
            RecordAnnouncement = config.RecordAnnouncement,
            MaxDuration = TimeSpan.FromMinutes(config.MaxMinutes),
            Keys = config.Dtmf,
            ProspectOppositionKey = config.ProspectOppositionKey,
            Purposes = config.Purposes,
            LegalBasis = config.LegalBasis,
            RetentionDays = config.RetentionDays,
        };
    }
}
