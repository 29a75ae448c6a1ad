using CallSwitch.Compliance.Storage;
using CallSwitch.Recording.Timeline;

namespace CallSwitch.Calls.Recording;

/// <summary>What a <see cref="CallRecorder"/> reports once its file is closed.</summary>
internal sealed record RecorderSummary(
    DateTimeOffset EndedAt,
    TimeSpan Duration,
    RecordingStatus Status,
    long DroppedPackets,
    IReadOnlyList<PauseSpan> PauseSpans,
    long FileSize,
    string CiphertextSha256,
    Exception? Failure);
