namespace CallSwitch.Compliance.Storage;

/// <summary>The tombstone of an erased recording: when, why and by whom. The audio and its key are gone.</summary>
/// <param name="At">When it was erased.</param>
/// <param name="Reason">Why (retention expired, data-subject request #…).</param>
/// <param name="By">Who erased it (a user, or the retention process).</param>
public sealed record RecordingErasure(DateTimeOffset At, string Reason, string By);
