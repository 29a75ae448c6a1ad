namespace CallSwitch.Compliance.Storage;

/// <summary>
/// A span of a recording during which a supervisor barged in: their voice is on the left
/// channel with the agent's (campaigns with <c>recording.include_barge</c>).
/// </summary>
/// <param name="Start">Offset from the recording's start where the barge began.</param>
/// <param name="End">Offset where it ended; null if the recording ended during it.</param>
public sealed record RecordingBarge(TimeSpan Start, TimeSpan? End);
