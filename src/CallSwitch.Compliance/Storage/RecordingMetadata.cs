
using CallSwitch.Compliance.Rules;
namespace CallSwitch.Compliance.Storage;

/// <summary>Everything stored about one recording, as read back.</summary>
public sealed record RecordingMetadata
{
    /// <summary>The recording's id.</summary>
    public required Guid Id { get; init; }

    /// <summary>The call recorded.</summary>
    public required string CallId { get; init; }

    /// <summary>The campaign.</summary>
    public required string CampaignId { get; init; }

    /// <summary>The agent.</summary>
    public required string AgentId { get; init; }

    /// <summary>The prospect's number (E.164); null once erased.</summary>
    public string? ProspectNumber { get; init; }

    /// <summary>When recording started.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>When recording ended; null while in progress.</summary>
    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>The audio's length; null while in progress.</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>The rule that decided to record.</summary>
    public required string RuleId { get; init; }

    /// <summary>The GDPR announcement, if played.</summary>
    public AnnouncementPlayback? Announcement { get; init; }

    /// <summary>Paused spans, in order.</summary>
    public required IReadOnlyList<RecordingPause> Pauses { get; init; }

    /// <summary>Spans a supervisor barged in (their voice on the left channel), in order.</summary>
    public IReadOnlyList<RecordingBarge> Barges { get; init; } = [];

    /// <summary>The refusal, if refused.</summary>
    public RecordingOpposition? Opposition { get; init; }

    /// <summary>Purposes, in the order configured.</summary>
    public required IReadOnlyList<string> Purposes { get; init; }

    /// <summary>The lawful basis.</summary>
    public required LegalBasis LegalBasis { get; init; }

    /// <summary>When it must be purged.</summary>
    public required DateTimeOffset RetentionUntil { get; init; }

    /// <summary>Whether it is under legal hold (never purged nor erased while set).</summary>
    public required bool LegalHold { get; init; }

    /// <summary>The wrapped data key's id; null once erased or refused.</summary>
    public Guid? KeyId { get; init; }

    /// <summary>The encrypted file; null once erased or refused.</summary>
    public string? FilePath { get; init; }

    /// <summary>The encrypted file's size in bytes; null while in progress or if there never was a file.</summary>
    public long? FileSize { get; init; }

    /// <summary>SHA-256 of the encrypted file; kept after erasure as proof of what was destroyed.</summary>
    public string? CiphertextSha256 { get; init; }

    /// <summary>In progress, complete or incomplete.</summary>
    public required RecordingStatus Status { get; init; }

    /// <summary>Packets dropped by the recorder.</summary>
    public required long DroppedPackets { get; init; }

    /// <summary>The tombstone, if erased.</summary>
    public RecordingErasure? Erasure { get; init; }

    /// <summary>When an erasure of it began (its key may be gone already); null if none did. Such a recording is no longer playable.</summary>
    public DateTimeOffset? ErasingSince { get; init; }

    /// <summary>A tombstone's keyed hash (HMAC) of the prospect's number, kept instead of the number; null before erasure.</summary>
    public string? ProspectNumberDigest { get; init; }

    /// <summary>Whether the recording was erased.</summary>
    public bool IsErased => Erasure is not null;

    /// <summary>Whether its audio can be read: not erased, no erasure under way, a file and a key recorded.</summary>
    public bool IsPlayable => Erasure is null && ErasingSince is null && FilePath is not null && KeyId is not null;
}
