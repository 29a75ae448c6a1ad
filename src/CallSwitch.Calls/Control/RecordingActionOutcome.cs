namespace CallSwitch.Calls.Control;

/// <summary>What a recording action did.</summary>
public enum RecordingActionOutcome
{
    /// <summary>The recording changed now (started, paused, resumed, refused).</summary>
    Done,

    /// <summary>The recording already was in the asked state (a retry is not an error).</summary>
    AlreadySo,

    /// <summary>
    /// The action does not apply to the recording now: start outside on-demand mode or a second
    /// time, pause or resume with nothing recording, anything after a refusal, any action before
    /// the answer or on a call recorded under no rule.
    /// </summary>
    NotApplicable,

    /// <summary>No live call has this id.</summary>
    NoSuchCall,
}
