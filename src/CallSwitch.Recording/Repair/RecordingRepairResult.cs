namespace CallSwitch.Recording.Repair;

/// <summary>The outcome of repairing one recording file after a crash.</summary>
public sealed record RecordingRepairResult
{
    /// <summary>What was found and done.</summary>
    public required RecordingRepairOutcome Outcome { get; init; }

    /// <summary>Audio kept: the last whole page's granule position less the pre-skip (zero without audio).</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>The encrypted file's size after repair; null when there is no file.</summary>
    public long? FileSize { get; init; }

    /// <summary>SHA-256 of the encrypted file after repair (lowercase hex); null when there is no file.</summary>
    public string? CiphertextSha256 { get; init; }

    /// <summary>Plaintext bytes after the last whole page that were dropped (a torn page, or a page cut off by a torn chunk).</summary>
    public long DiscardedBytes { get; init; }

    /// <summary>Why, in words, for the log.</summary>
    public required string Detail { get; init; }
}
