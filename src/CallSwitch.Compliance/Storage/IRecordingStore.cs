namespace CallSwitch.Compliance.Storage;

/// <summary>
/// Where recordings' metadata is kept. The read methods here are not audited: people and tools
/// read recordings through <see cref="RecordingAccess"/>, which logs every access; the switch
/// itself reads here only for its own bookkeeping (repairing in-progress recordings after a crash).
/// </summary>
/// <remarks>Thread-safe. Writes go through the store's single writer, in queue order.</remarks>
public interface IRecordingStore
{
    /// <summary>Records that a recording started. Completes once committed.</summary>
    /// <exception cref="ArgumentException">A field is invalid.</exception>
    /// <exception cref="MetadataStoreException">The id exists, or the call was never saved.</exception>
    Task AddRecordingAsync(NewRecording recording, CancellationToken cancellationToken = default);

    /// <summary>Records how a recording ended (or how it was repaired after a crash).</summary>
    /// <returns>False if no recording has this id or it was erased; nothing changed then.</returns>
    /// <exception cref="ArgumentException">A field is invalid, or the status is in-progress.</exception>
    Task<bool> CompleteRecordingAsync(Guid recordingId, RecordingCompletion completion, CancellationToken cancellationToken = default);

    /// <summary>
    /// Places or releases a legal hold, and appends the matching audit entry in the same transaction.
    /// </summary>
    /// <returns>False if no recording has this id; nothing is written then.</returns>
    Task<bool> SetLegalHoldAsync(Guid recordingId, bool hold, string actor, string reason, CancellationToken cancellationToken = default);

    /// <summary>Reads a recording by id, unaudited; null if unknown.</summary>
    Task<RecordingMetadata?> GetRecordingAsync(Guid recordingId, CancellationToken cancellationToken = default);

    /// <summary>Lists recordings matching a query, one page, newest first, unaudited.</summary>
    /// <exception cref="ArgumentException">The query is invalid (page size, number not E.164).</exception>
    Task<RecordingPage> SearchRecordingsAsync(RecordingQuery query, CancellationToken cancellationToken = default);
}
