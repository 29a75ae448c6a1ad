namespace CallSwitch.Compliance.Storage;

/// <summary>
/// The append-only log of what was done with recordings. Entries are numbered from 1 in commit
/// order without gaps; nothing is ever updated or deleted.
/// </summary>
/// <remarks>Thread-safe. Appends go through the store's single writer, in queue order.</remarks>
public interface IAuditLog
{
    /// <summary>Appends an entry; completes once it is committed, with its sequence number.</summary>
    /// <exception cref="ArgumentException">The actor or purpose is blank.</exception>
    Task<AuditEntry> AppendAuditAsync(AuditEvent auditEvent, CancellationToken cancellationToken = default);

    /// <summary>Reads entries after a sequence number (0 for the start), in order, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<AuditEntry>> ReadAuditAsync(long afterSequence, int limit, CancellationToken cancellationToken = default);

    /// <summary>Reads every entry about one recording, in order.</summary>
    Task<IReadOnlyList<AuditEntry>> ReadAuditForRecordingAsync(Guid recordingId, CancellationToken cancellationToken = default);
}
