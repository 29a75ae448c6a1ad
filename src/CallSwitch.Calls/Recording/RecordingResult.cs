using CallSwitch.Compliance.Rules;
using CallSwitch.Compliance.Storage;
using CallSwitch.Recording.Timeline;

namespace CallSwitch.Calls.Recording;

/// <summary>
/// Everything the metadata store needs about one finished recording, raised once when its file
/// is closed (at the end of the call, at the rule's maximum length, or on a write failure), and
/// once more when a finished recording is then refused. A refused recording has no file, key,
/// size, hash nor audio: only <see cref="Opposition"/> says what happened.
/// The file itself carries no personal data outside the encrypted audio; the prospect's number
/// is here, for the store only.
/// </summary>
public sealed record RecordingResult : IRecordingFacts
{
    /// <summary>The recording's id (also the file name and the Ogg RECORDING_ID tag).</summary>
    public required string RecordingId { get; init; }

    /// <summary>The call's id (as in the logs).</summary>
    public required string CallId { get; init; }

    /// <summary>The campaign.</summary>
    public required string CampaignId { get; init; }

    /// <summary>The agent's extension.</summary>
    public required string Agent { get; init; }

    /// <summary>The prospect's number (E.164).</summary>
    public required string ProspectNumber { get; init; }

    /// <summary>The id of the rule that decided (<see cref="RecordingRule.Id"/>).</summary>
    public required string RuleId { get; init; }

    /// <summary>The rule's mode.</summary>
    public required RecordingMode Mode { get; init; }

    /// <summary>The encrypted file: <c>{spool}/{yyyy}/{MM}/{dd}/{RecordingId}.ogg.enc</c>; null when refused (deleted, or never written).</summary>
    public required string? FilePath { get; init; }

    /// <summary>The data key's id (in the file header and the key store); null when refused (shredded).</summary>
    public required Guid? KeyId { get; init; }

    /// <summary>The fingerprint of the master key that wrapped the data key; null when refused.</summary>
    public required string? MasterKeyId { get; init; }

    /// <summary>Size of the encrypted file in bytes; null when refused.</summary>
    public required long? FileSize { get; init; }

    /// <summary>SHA-256 of the encrypted file (lowercase hex), as written; null when refused.</summary>
    public required string? CiphertextSha256 { get; init; }

    /// <summary>When recording started (UTC).</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>When it stopped (UTC).</summary>
    public required DateTimeOffset EndedAt { get; init; }

    /// <summary>The audio length in the file (zero when refused: no audio remains).</summary>
    public required TimeSpan Duration { get; init; }

    /// <summary>Paused spans (silence in the file), offsets from the start.</summary>
    public required IReadOnlyList<PauseSpan> PauseSpans { get; init; }

    /// <summary>Spans a supervisor barged in and was recorded on the left channel, offsets from the start (an open one ended with the recording).</summary>
    public IReadOnlyList<(TimeSpan Start, TimeSpan? End)> BargeSpans { get; init; } = [];

    /// <summary>Complete, or incomplete: packets dropped (<see cref="DroppedPackets"/>) or writing failed (<see cref="StopReason"/> is <see cref="RecordingStopReason.WriteFailed"/>).</summary>
    public required RecordingStatus Status { get; init; }

    /// <summary>Packets the recorder dropped (its queue overflowed).</summary>
    public required long DroppedPackets { get; init; }

    /// <summary>Why it stopped.</summary>
    public required RecordingStopReason StopReason { get; init; }

    /// <summary>Whether the notice is in the file (left channel, from the start until the parties were connected).</summary>
    public required bool AnnouncementRecorded { get; init; }

    /// <summary>Whether the notice was played to the prospect in full; null when the campaign has none or the call ended during it.</summary>
    public required bool? AnnouncementPlayedInFull { get; init; }

    /// <summary>When the notice ended and the parties were connected (the left channel switched to the agent); null without a notice played in full.</summary>
    public required DateTimeOffset? AnnouncementEndedAt { get; init; }

    /// <summary>SHA-256 of the notice's source file, when one was played.</summary>
    public required string? AnnouncementSha256 { get; init; }

    /// <summary>Why it was recorded.</summary>
    public required IReadOnlyList<string> Purposes { get; init; }

    /// <summary>The lawful basis.</summary>
    public required LegalBasis? LegalBasis { get; init; }

    /// <summary>When it must be purged (<see cref="RetentionPolicy.Deadline"/>: from the start, the same as at its start); null when the rule sets none.</summary>
    public required DateTimeOffset? RetentionDeadline { get; init; }

    /// <summary>The refusal (who, when) when the recording was refused; its audio was destroyed.</summary>
    public RecordingOpposition? Opposition { get; init; }
}
