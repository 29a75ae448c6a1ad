namespace CallSwitch.Compliance.Storage;

/// <summary>The anonymised training extracts' rows (their audio is in the vault, under their own keys).</summary>
public interface ITrainingExtractStore
{
    /// <summary>Adds an extract's row (after its file is written and sealed).</summary>
    /// <exception cref="ArgumentException">A field is missing or invalid.</exception>
    Task AddExtractAsync(TrainingExtract extract, CancellationToken cancellationToken = default);

    /// <summary>The extracts, oldest first; of one agent when <paramref name="agentId"/> is given.</summary>
    Task<IReadOnlyList<TrainingExtract>> ListExtractsAsync(string? agentId = null, CancellationToken cancellationToken = default);
}
