namespace CallSwitch.Calls.Recording;

/// <summary>Why a recording stopped.</summary>
public enum RecordingStopReason
{
    /// <summary>The call ended.</summary>
    CallEnded,

    /// <summary>It reached the rule's maximum length; the call went on.</summary>
    MaxDuration,

    /// <summary>Writing the file failed; the call went on.</summary>
    WriteFailed,

    /// <summary>The recording was refused (agent or prospect): what was recorded is destroyed; the call went on.</summary>
    Opposed,
}
