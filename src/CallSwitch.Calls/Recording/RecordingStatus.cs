namespace CallSwitch.Calls.Recording;

/// <summary>The state of a finished recording file.</summary>
public enum RecordingStatus
{
    /// <summary>Valid and whole: every packet the relay saw is in it.</summary>
    Complete,

    /// <summary>Valid, but the recorder dropped packets (its queue overflowed); the drops are counted.</summary>
    Incomplete,

    /// <summary>Writing failed (disk full, spool unwritable): the file holds what was sealed before, unfinished.</summary>
    Failed,
}
