namespace CallSwitch.Compliance.Storage;

/// <summary>
/// What is known when a recording ends (or is repaired after a crash). When <see cref="Opposition"/>
/// is set the audio was destroyed: the store forgets the file path, key id, size and hash.
/// </summary>
public sealed record RecordingCompletion
{
    /// <summary>When recording ended.</summary>
    public required DateTimeOffset EndedAt { get; init; }

    /// <summary>The length of the audio (which may differ from EndedAt − StartedAt by the announcement or a crash).</summary>
    public required TimeSpan Duration { get; init; }

    /// <summary>Complete or incomplete; not in-progress.</summary>
    public required RecordingStatus Status { get; init; }

    /// <summary>Packets the recorder dropped (queue full, disk full); non-zero goes with <see cref="RecordingStatus.Incomplete"/>.</summary>
    public long DroppedPackets { get; init; }

    /// <summary>The spans paused, in order.</summary>
    public IReadOnlyList<RecordingPause> Pauses { get; init; } = [];

    /// <summary>The spans a supervisor barged in, in order.</summary>
    public IReadOnlyList<RecordingBarge> Barges { get; init; } = [];

    /// <summary>The refusal, if the recording was refused.</summary>
    public RecordingOpposition? Opposition { get; init; }

    /// <summary>The encrypted file's size in bytes; null if there is no file (opposition).</summary>
    public long? FileSize { get; init; }

    /// <summary>SHA-256 of the encrypted file, 64 hex digits; null if there is no file.</summary>
    public string? CiphertextSha256 { get; init; }

    /// <summary>
    /// The GDPR announcement, when it ended after the row was added (the row is saved as recording
    /// starts, often while the notice plays); null leaves what the row holds.
    /// </summary>
    public AnnouncementPlayback? Announcement { get; init; }

    /// <summary>A retention deadline that replaces the one saved at the start; null leaves it.</summary>
    public DateTimeOffset? RetentionUntil { get; init; }
}
