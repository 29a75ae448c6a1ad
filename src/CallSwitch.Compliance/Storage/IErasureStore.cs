using CallSwitch.Compliance.Erasure;

namespace CallSwitch.Compliance.Storage;

/// <summary>
/// The store's side of an erasure in steps (<see cref="RecordingEraser"/>): mark the row as being
/// erased, then, once the key and the file are destroyed, turn it into a tombstone with its audit
/// entry and its signed receipt in one transaction.
/// </summary>
/// <remarks>Thread-safe. Writes go through the store's single writer.</remarks>
public interface IErasureStore
{
    /// <summary>
    /// Marks a recording as being erased (no longer playable) unless it is held. A row already
    /// marked stays marked with its first instant, held or not: its key may be gone already.
    /// </summary>
    /// <returns>Null when the row is marked and the erasure may go on; otherwise why not (not found, already erased, on legal hold).</returns>
    Task<ErasureOutcome?> MarkErasingAsync(Guid recordingId, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>
    /// Turns a marked recording into a tombstone (no key, no path, no number; the number's digest
    /// kept), appends the audit entry and stores the receipt, in one transaction.
    /// </summary>
    /// <returns><see cref="ErasureOutcome.Erased"/>; <see cref="ErasureOutcome.AlreadyErased"/> if it was a tombstone already (nothing written); <see cref="ErasureOutcome.NotFound"/> if unknown or not marked.</returns>
    Task<ErasureOutcome> TombstoneAsync(ErasureTombstone tombstone, CancellationToken cancellationToken = default);

    /// <summary>The deletion receipt of a recording; null if it has none.</summary>
    Task<SignedErasureReceipt?> GetReceiptAsync(Guid recordingId, CancellationToken cancellationToken = default);
}
