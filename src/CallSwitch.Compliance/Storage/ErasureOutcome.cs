namespace CallSwitch.Compliance.Storage;

/// <summary>What became of a request to erase a recording.</summary>
public enum ErasureOutcome
{
    /// <summary>The recording is now a tombstone.</summary>
    Erased,

    /// <summary>No recording has this id.</summary>
    NotFound,

    /// <summary>It was erased before; nothing changed.</summary>
    AlreadyErased,

    /// <summary>It is under legal hold and was kept; release the hold first.</summary>
    OnLegalHold,
}
