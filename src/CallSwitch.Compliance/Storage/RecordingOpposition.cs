namespace CallSwitch.Compliance.Storage;

/// <summary>A recording was refused: what was recorded was destroyed, only this record of the refusal remains.</summary>
/// <param name="By">Who refused.</param>
/// <param name="At">When.</param>
public sealed record RecordingOpposition(OppositionSource By, DateTimeOffset At);
