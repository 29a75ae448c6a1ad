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

    /// <summary>The entries matching every criterion of the query, oldest first.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The limit is below 1 or above <see cref="AuditQuery.MaxLimit"/>.</exception>
    Task<IReadOnlyList<AuditEntry>> SearchAuditAsync(AuditQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Checks the whole hash chain (<see cref="AuditChain"/>) and that the log still reaches every
    /// anchor given; names the first entry found wrong.
    /// </summary>
    Task<AuditVerification> VerifyAuditAsync(IReadOnlyCollection<AuditAnchor> anchors, CancellationToken cancellationToken = default);

    /// <summary>The chain's head (last entry's sequence number and hash), to keep elsewhere as an anchor; null for an empty log.</summary>
    Task<AuditAnchor?> AuditHeadAsync(CancellationToken cancellationToken = default);
}
