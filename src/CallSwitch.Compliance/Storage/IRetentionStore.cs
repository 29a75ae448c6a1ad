namespace CallSwitch.Compliance.Storage;

/// <summary>
/// The store as the retention sidecar reads and updates it: in short batches, so that the switch's
/// writer never waits long behind it, and so that memory stays flat whatever the backlog.
/// </summary>
/// <remarks>Thread-safe.</remarks>
public interface IRetentionStore
{
    /// <summary>
    /// One batch of the live recordings (not erased, not in progress), by id after <paramref name="after"/>
    /// (null for the first), at most <paramref name="limit"/>, each saying whether a hold active at
    /// <paramref name="asOf"/> covers it. An empty batch ends the scan.
    /// </summary>
    Task<IReadOnlyList<RetentionCandidate>> ListRetentionCandidatesAsync(Guid? after, int limit, DateTimeOffset asOf, CancellationToken cancellationToken = default);

    /// <summary>
    /// Brings deadlines forward (a campaign's retention was shortened): each recording whose stored
    /// deadline is later than the one given gets it; a later one is never set. One transaction.
    /// </summary>
    /// <returns>How many deadlines changed.</returns>
    Task<int> ShortenDeadlinesAsync(IReadOnlyList<(Guid Id, DateTimeOffset Deadline)> deadlines, CancellationToken cancellationToken = default);

    /// <summary>Records a finished run (not a dry run).</summary>
    Task RecordRetentionRunAsync(RetentionRun run, CancellationToken cancellationToken = default);

    /// <summary>The last recorded run; null if none.</summary>
    Task<RetentionRun?> GetLastRetentionRunAsync(CancellationToken cancellationToken = default);

    /// <summary>Per campaign (by id): kept recordings, bytes, next deadline, held at <paramref name="now"/>, purged in the last run.</summary>
    Task<IReadOnlyList<CampaignRetentionStatus>> GetRetentionStatusAsync(DateTimeOffset now, CancellationToken cancellationToken = default);
}
