using CallSwitch.Compliance.Rules;
namespace CallSwitch.Configuration;

/// <summary>A campaign's recording rules (key 'recording'); absent means mode never.</summary>
public sealed record RecordingConfig
{
    /// <summary>When calls are recorded.</summary>
    public RecordingMode Mode { get; init; } = RecordingMode.Never;

    /// <summary>The share of calls recorded in sample mode (0–100); null in other modes.</summary>
    public int? SamplePercent { get; init; }

    /// <summary>Whether the announcement is part of the recording (proof that the prospect was informed).</summary>
    public bool RecordAnnouncement { get; init; } = true;

    /// <summary>Longest recording of one call, in minutes.</summary>
    public int MaxMinutes { get; init; } = 120;

    /// <summary>The agent's key sequences.</summary>
    public DtmfKeysConfig Dtmf { get; init; } = new();

    /// <summary>The digit the prospect may press during the announcement to refuse the recording, if any.</summary>
    public char? ProspectOppositionKey { get; init; }

    /// <summary>Why calls are recorded (GDPR Art. 5(1)(b)); at least one unless the mode is never.</summary>
    public IReadOnlyList<string> Purposes { get; init; } = [];

    /// <summary>The lawful basis; required unless the mode is never.</summary>
    public LegalBasis? LegalBasis { get; init; }

    /// <summary>Days a recording is kept before it is purged; required unless the mode is never.</summary>
    public int? RetentionDays { get; init; }
}
