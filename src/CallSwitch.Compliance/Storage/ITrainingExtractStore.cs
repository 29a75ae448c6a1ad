namespace CallSwitch.Compliance.Storage;

/// <summary>The anonymised training extracts' rows (their audio is in the vault, under their own keys).</summary>
public interface ITrainingExtractStore
{
    /// <summary>Adds an extract's row (after its file is written and sealed).</summary>
    /// <exception cref="ArgumentException">A field is missing or invalid.</exception>
    Task AddExtractAsync(TrainingExtract extract, CancellationToken cancellationToken = default);

    /// <summary>The extracts, oldest first; of one agent when <paramref name="agentId"/> is given.</summary>
    Task<IReadOnlyList<TrainingExtract>> ListExtractsAsync(string? agentId = null, CancellationToken cancellationToken = default);

    /// <summary>At most <paramref name="limit"/> extracts whose deadline is at or before <paramref name="asOf"/>, oldest deadline first.</summary>
    Task<IReadOnlyList<TrainingExtract>> ListExpiredExtractsAsync(DateTimeOffset asOf, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes an extract's row and appends <paramref name="audit"/>, in one transaction; called
    /// once its key and file are destroyed. False when the row was already gone (nothing audited).
    /// </summary>
    Task<bool> DeleteExtractAsync(Guid extractId, AuditEvent audit, CancellationToken cancellationToken = default);
}
