
using CallSwitch.Compliance.Rules;
namespace CallSwitch.Compliance.Storage;

/// <summary>
/// A recording as it starts: saved before the first byte of audio reaches the spool, so that
/// after a crash no file exists without a record (it is found with status in-progress).
/// </summary>
public sealed record NewRecording
{
    /// <summary>The recording's id (also written in the file's OpusTags).</summary>
    public required Guid Id { get; init; }

    /// <summary>The call recorded; the call must have been saved first.</summary>
    public required string CallId { get; init; }

    /// <summary>The campaign whose rule decided.</summary>
    public required string CampaignId { get; init; }

    /// <summary>The agent on the call.</summary>
    public required string AgentId { get; init; }

    /// <summary>The prospect's number in E.164 form.</summary>
    public required string ProspectNumber { get; init; }

    /// <summary>When recording started.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>The id of the rule that decided to record (campaign id + mode, or the sample draw).</summary>
    public required string RuleId { get; init; }

    /// <summary>The GDPR announcement, if it was played before or during the recording.</summary>
    public AnnouncementPlayback? Announcement { get; init; }

    /// <summary>Why the call is recorded (GDPR Art. 5(1)(b)), as configured on the campaign when recording started.</summary>
    public required IReadOnlyList<string> Purposes { get; init; }

    /// <summary>The lawful basis, as configured when recording started.</summary>
    public required LegalBasis LegalBasis { get; init; }

    /// <summary>When the recording must be purged (start + the campaign's retention period).</summary>
    public required DateTimeOffset RetentionUntil { get; init; }

    /// <summary>Whether the recording starts under legal hold (rare: usually placed later).</summary>
    public bool LegalHold { get; init; }

    /// <summary>
    /// The id of the recording's wrapped data key in the key store; null, with <see cref="FilePath"/>,
    /// only for a recording refused before any audio was written (completed at once with its opposition).
    /// </summary>
    public required Guid? KeyId { get; init; }

    /// <summary>The encrypted file's path; null, with <see cref="KeyId"/>, only for a recording refused before any audio was written.</summary>
    public required string? FilePath { get; init; }
}
