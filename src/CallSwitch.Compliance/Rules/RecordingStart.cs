namespace CallSwitch.Compliance.Rules;

/// <summary>When a call's recording starts, as its rule decided.</summary>
public enum RecordingStart
{
    /// <summary>Not recorded (mode never, or sampled out).</summary>
    Never,

    /// <summary>From the answer (with the notice when the rule records it), or from the connection.</summary>
    AtAnswer,

    /// <summary>Only when asked (the agent's DTMF sequence or the API).</summary>
    OnDemand,
}
