namespace CallSwitch.Compliance.Erasure;

/// <summary>
/// Destroys what makes a recording readable, for <see cref="RecordingEraser"/>: implemented by the
/// recording vault (CallSwitch.Recording), which owns the keys and the spool. Both operations are
/// idempotent: the eraser runs them again after a crash.
/// </summary>
public interface IRecordingShredder
{
    /// <summary>Destroys a recording's wrapped data key (crypto-shredding). False when it was already gone.</summary>
    /// <exception cref="IOException">The key cannot be destroyed.</exception>
    bool DestroyKey(Guid keyId);

    /// <summary>Deletes a recording's file and makes the deletion durable (fsync of its folder). False when it was already gone.</summary>
    /// <exception cref="IOException">The file cannot be deleted.</exception>
    bool DeleteFile(string filePath);
}
