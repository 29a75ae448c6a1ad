using CallSwitch.Compliance.Storage;
using CallSwitch.Recording.Capture;
using CallSwitch.Recording.Timeline;

namespace CallSwitch.Recording.Vault;

/// <summary>What a <see cref="CallRecorder"/> reports once its file is closed.</summary>
/// <param name="EndedAt">When it was stopped (UTC).</param>
/// <param name="Duration">The audio length in the file.</param>
/// <param name="Status">Complete, or incomplete: packets dropped, or writing failed (then <paramref name="Failure"/> says why).</param>
/// <param name="DroppedPackets">Packets the recorder dropped (its queues overflowed).</param>
/// <param name="PauseSpans">Paused spans, offsets from the start.</param>
/// <param name="FileSize">Bytes written to the encrypted file.</param>
/// <param name="CiphertextSha256">SHA-256 of those bytes (lowercase hex).</param>
/// <param name="Failure">The write failure that stopped it, if any.</param>
/// <param name="Timing">How its pump was stepped (for the log when packets were dropped).</param>
public sealed record RecorderSummary(
    DateTimeOffset EndedAt,
    TimeSpan Duration,
    RecordingStatus Status,
    long DroppedPackets,
    IReadOnlyList<PauseSpan> PauseSpans,
    long FileSize,
    string CiphertextSha256,
    Exception? Failure,
    RecordingPumpTiming Timing);
