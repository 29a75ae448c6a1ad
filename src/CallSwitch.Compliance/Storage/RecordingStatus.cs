namespace CallSwitch.Compliance.Storage;

/// <summary>Where a recording is in its life.</summary>
public enum RecordingStatus
{
    /// <summary>Being written; after a crash, these are the ones to repair.</summary>
    InProgress,

    /// <summary>Finished with every frame.</summary>
    Complete,

    /// <summary>Finished, but frames were dropped (recorder behind, disk full, crash): gaps are silence.</summary>
    Incomplete,
}
