namespace CallSwitch.Calls.Recording;

/// <summary>What a key sequence asks of a call's recording.</summary>
public enum RecordingCommand
{
    /// <summary>Pause (silence in the file until resumed).</summary>
    Pause,

    /// <summary>Resume after a pause.</summary>
    Resume,

    /// <summary>Start recording (on-demand mode).</summary>
    Start,

    /// <summary>The recording is refused: stop it and destroy what was recorded.</summary>
    Oppose,
}
