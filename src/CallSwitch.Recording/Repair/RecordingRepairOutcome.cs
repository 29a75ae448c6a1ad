namespace CallSwitch.Recording.Repair;

/// <summary>What <see cref="RecordingRepair.Repair"/> found and did.</summary>
public enum RecordingRepairOutcome
{
    /// <summary>The file ended without its final chunk (a crash): rewritten with the audio up to the last whole page.</summary>
    Repaired,

    /// <summary>The file was already whole (repaired by an earlier run, or closed just before the crash); left as it is.</summary>
    AlreadyComplete,

    /// <summary>Nothing playable survived (no whole audio page): the file was deleted.</summary>
    NoAudio,

    /// <summary>There is no file.</summary>
    Missing,

    /// <summary>
    /// The file cannot be repaired and was left untouched: not a recording, its data key is gone,
    /// or damage lies before its end (a crash only ever loses the tail).
    /// </summary>
    Unreadable,
}
