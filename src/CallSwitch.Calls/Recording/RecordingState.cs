namespace CallSwitch.Calls.Recording;

/// <summary>Where a call's recording stands, as the agent's CRM sees it.</summary>
public enum RecordingState
{
    /// <summary>The call has no recording rule (no campaign, or the switch records nothing).</summary>
    None,

    /// <summary>Not recording: not started yet (on-demand, or waiting for the connection), stopped, or never under this rule's decision.</summary>
    Off,

    /// <summary>Recording now.</summary>
    Recording,

    /// <summary>Recording, paused: the file gets silence and the span is kept.</summary>
    Paused,

    /// <summary>The recording was refused: what was recorded is destroyed and nothing more is recorded on this call.</summary>
    Refused,
}
