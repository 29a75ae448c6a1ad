namespace CallSwitch.Compliance.Storage;

/// <summary>A span of a recording that is silence because recording was paused (card number, health data).</summary>
/// <param name="Start">Offset from the recording's start where the pause began.</param>
/// <param name="End">Offset where it ended; null if the recording ended while paused.</param>
public sealed record RecordingPause(TimeSpan Start, TimeSpan? End);
