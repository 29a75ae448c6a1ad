using System.Globalization;
using CallSwitch.Compliance.Erasure;
using CallSwitch.Compliance.Rules;
using CallSwitch.Compliance.Storage;
using CallSwitch.Configuration;
using Serilog;

namespace CallSwitch.Retention;

/// <summary>
/// One retention run: streams the live recordings in batches, brings forward the deadlines a
/// shortened campaign retention changed (<see cref="RetentionPolicy.Effective"/>), and erases
/// each recording whose deadline has passed and that no legal hold covers, through the one
/// <see cref="RecordingEraser"/>. A dry run prints what it would purge and why, and changes nothing.
/// </summary>
internal sealed class RetentionRunner
{
    /// <summary>The actor of retention's erasures, in the audit log, the tombstones and the receipts.</summary>
    public const string Actor = "retention";

    /// <summary>The reason of retention's erasures.</summary>
    public const string Reason = "retention-expired";

    /// <summary>The lease's name in the store.</summary>
    public const string LeaseName = "retention";

    /// <summary>How long a lease lasts unless renewed (it is renewed at every batch).</summary>
    public static readonly TimeSpan LeaseDuration = TimeSpan.FromMinutes(2);

    private readonly IRetentionStore _store;
    private readonly ILegalHoldStore _holds;
    private readonly ILeaseStore _leases;
    private readonly TimeProvider _clock;
    private readonly RecordingEraser? _eraser;
    private readonly ILogger _log;
    private readonly int _batchSize;
    private readonly int _parallelism;

    /// <summary>A runner over <paramref name="store"/>; <paramref name="eraser"/> null makes every run a dry run.</summary>
    /// <param name="store">The recordings to scan.</param>
    /// <param name="holds">Legal holds (expired at each run).</param>
    /// <param name="leases">The lease that keeps a second sidecar from purging at the same time.</param>
    /// <param name="eraser">Erases one recording; null for dry runs only.</param>
    /// <param name="clock">The real clock, for the lease (a run "as of" another instant still leases in real time).</param>
    /// <param name="log">Where purges and failures are logged.</param>
    /// <param name="batchSize">Recordings read per batch (memory stays flat whatever the backlog).</param>
    /// <param name="parallelism">Erasures of a batch in flight at once.</param>
    public RetentionRunner(IRetentionStore store, ILegalHoldStore holds, ILeaseStore leases, RecordingEraser? eraser, TimeProvider clock, ILogger log, int batchSize = 500, int parallelism = 8)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parallelism, 1);
        _parallelism = parallelism;
        ArgumentNullException.ThrowIfNull(leases);
        ArgumentNullException.ThrowIfNull(clock);
        _leases = leases;
        _clock = clock;
        Holder = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(holds);
        _holds = holds;
        ArgumentNullException.ThrowIfNull(log);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        _store = store;
        _eraser = eraser;
        _log = log;
        _batchSize = batchSize;
    }

    /// <summary>This runner's lease holder id: host, process, instance.</summary>
    public string Holder { get; }

    /// <summary>Runs once as of <paramref name="asOf"/> under <paramref name="config"/>'s campaign rules.</summary>
    /// <param name="config">The configuration now (its campaigns' retention).</param>
    /// <param name="asOf">The instant deadlines are compared with.</param>
    /// <param name="dryRun">Print, change nothing.</param>
    /// <param name="output">Where a dry run's lines go (one per recording: id, campaign, rule, deadline; never a number).</param>
    /// <param name="cancellationToken">Stops between two recordings; an erasure begun is finished by the next run.</param>
    public async Task<RetentionRunSummary> RunAsync(SwitchConfig config, DateTimeOffset asOf, bool dryRun, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(output);
        dryRun |= _eraser is null;
        if (!dryRun && await LeaseAsync(cancellationToken).ConfigureAwait(false) is { } other)
        {
            return new RetentionRunSummary(0, 0, 0, 0, 0, other);
        }

        DateTimeOffset started = _clock.GetUtcNow();
        try
        {
            RetentionRunSummary summary = await RunLeasedAsync(config, asOf, dryRun, output, cancellationToken).ConfigureAwait(false);
            if (!dryRun)
            {
                await _store.RecordRetentionRunAsync(
                    new RetentionRun(started, _clock.GetUtcNow(), asOf, summary.Purged, summary.Held, summary.Failed),
                    CancellationToken.None).ConfigureAwait(false);
            }

            return summary;
        }
        finally
        {
            if (!dryRun)
            {
                await _leases.ReleaseLeaseAsync(LeaseName, Holder, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    private Task<RetentionLease?> LeaseAsync(CancellationToken cancellationToken) =>
        _leases.TryAcquireLeaseAsync(LeaseName, Holder, _clock.GetUtcNow(), LeaseDuration, cancellationToken);

    private async Task<RetentionRunSummary> RunLeasedAsync(SwitchConfig config, DateTimeOffset asOf, bool dryRun, TextWriter output, CancellationToken cancellationToken)
    {
        long scanned = 0, purged = 0, held = 0, failed = 0, shortened = 0;
        if (!dryRun && await _holds.ExpireHoldsAsync(asOf, cancellationToken).ConfigureAwait(false) is > 0 and var expired)
        {
            _log.Information("{Expired} legal hold(s) expired", expired);
        }

        Guid? after = null;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            IReadOnlyList<RetentionCandidate> batch = await _store.ListRetentionCandidatesAsync(after, _batchSize, asOf, cancellationToken).ConfigureAwait(false);
            if (batch.Count == 0)
            {
                break;
            }

            // Renewed at every batch; lost only if this run stalled past its expiry and another took it.
            if (!dryRun && scanned > 0 && await LeaseAsync(cancellationToken).ConfigureAwait(false) is { } taker)
            {
                _log.Warning("The retention lease was taken by {Holder}; this run stops", taker.Holder);
                return new RetentionRunSummary(scanned, purged, held, failed, shortened, taker);
            }

            after = batch[^1].Id;
            scanned += batch.Count;
            var earlier = new List<(Guid Id, DateTimeOffset Deadline)>();
            var due = new List<(RetentionCandidate Candidate, string Why)>();
            foreach (RetentionCandidate candidate in batch)
            {
                DateTimeOffset deadline = RetentionPolicy.Effective(candidate.RetentionUntil, config.FindCampaign(candidate.CampaignId)?.Recording, candidate.StartedAt);
                if (deadline < candidate.RetentionUntil)
                {
                    earlier.Add((candidate.Id, deadline));
                }

                if (deadline > asOf)
                {
                    continue;
                }

                string why = Why(candidate, deadline);
                if (candidate.Held && candidate.ErasingSince is null)
                {
                    held++;
                    Report(dryRun, output, $"held   {candidate.Id:D}  {why}  (legal hold: kept)");
                    continue;
                }

                if (dryRun)
                {
                    purged++;
                    output.WriteLine($"purge  {candidate.Id:D}  {why}");
                    continue;
                }

                due.Add((candidate, why));
            }

            (long Purged, long Held, long Failed) erased = await EraseAsync(due, cancellationToken).ConfigureAwait(false);
            purged += erased.Purged;
            held += erased.Held;
            failed += erased.Failed;
            if (earlier.Count > 0)
            {
                shortened += earlier.Count;
                if (!dryRun)
                {
                    await _store.ShortenDeadlinesAsync(earlier, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        return new RetentionRunSummary(scanned, purged, held, failed, shortened);
    }

    /// <summary>
    /// Erases a batch's due recordings, <see cref="_parallelism"/> at a time: each erasure waits
    /// mostly on the disk (the key's and the folder's fsync, two commits), so several in flight
    /// share the store's commits and the disk's flushes. Each is still the one eraser's steps, in order.
    /// </summary>
    private async Task<(long Purged, long Held, long Failed)> EraseAsync(List<(RetentionCandidate Candidate, string Why)> due, CancellationToken cancellationToken)
    {
        long purged = 0, held = 0, failed = 0;
        var options = new ParallelOptions { MaxDegreeOfParallelism = _parallelism, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(due, options, async (item, token) =>
        {
            try
            {
                ErasureOutcome outcome = await _eraser!.EraseAsync(new ErasureRequest(item.Candidate.Id, Actor, Reason, item.Why), token).ConfigureAwait(false);
                if (outcome == ErasureOutcome.Erased)
                {
                    Interlocked.Increment(ref purged);
                    _log.Information("Purged recording {RecordingId}: {Why}", item.Candidate.Id, item.Why);
                }
                else if (outcome == ErasureOutcome.OnLegalHold)
                {
                    Interlocked.Increment(ref held);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or MetadataStoreException)
            {
                Interlocked.Increment(ref failed);
                _log.Error("Recording {RecordingId} could not be purged (retried at the next run): {Error}", item.Candidate.Id, e.Message);
            }
        }).ConfigureAwait(false);
        return (purged, held, failed);
    }

    private static string Why(RetentionCandidate candidate, DateTimeOffset deadline)
    {
        string text = $"campaign {candidate.CampaignId}, rule {candidate.RuleId}, deadline {Iso(deadline)}";
        return deadline < candidate.RetentionUntil ? text + $" (shortened from {Iso(candidate.RetentionUntil)})" : text;
    }

    private static string Iso(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private void Report(bool dryRun, TextWriter output, string line)
    {
        if (dryRun)
        {
            output.WriteLine(line);
        }
        else
        {
            _log.Information("Kept recording {Line}", line);
        }
    }
}
