namespace CallSwitch.Calls.Recording;

/// <summary>When a call's recording starts, as its rule decided.</summary>
public enum RecordingStart
{
    /// <summary>Not recorded (mode never, or sampled out).</summary>
    Never,

    /// <summary>From the answer (with the notice when the rule records it), or from the connection.</summary>
    AtAnswer,

    /// <summary>Only when asked (<see cref="CallRecordingControl.Start"/>: agent DTMF or API).</summary>
    OnDemand,
}
