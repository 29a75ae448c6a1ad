namespace CallSwitch.Compliance.Erasure;

/// <summary>The steps of one erasure, in the order <see cref="RecordingEraser"/> runs them.</summary>
public enum ErasureStep
{
    /// <summary>The row is marked as being erased: no longer playable.</summary>
    MarkedErasing,

    /// <summary>The wrapped data key is destroyed.</summary>
    KeyDestroyed,

    /// <summary>The file is deleted and its folder fsynced.</summary>
    FileDeleted,

    /// <summary>The row is a tombstone, with its audit entry and its signed receipt (one transaction).</summary>
    Tombstoned,
}
