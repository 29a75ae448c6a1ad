using System.Globalization;
using CallSwitch.Compliance.Erasure;
using CallSwitch.Compliance.Storage;
using Serilog;

namespace CallSwitch.Retention;

/// <summary>
/// Destroys the anonymised training extracts whose own short deadline has passed: key first
/// (crypto-shredding), then the file (fsync of its folder), then the row with its audit entry in
/// one transaction. Each step is idempotent, so an extract left half-done by a crash (key gone,
/// row still there) is finished by the next run. Extracts carry no number and no call, so no
/// legal hold can name one: their deadline alone decides.
/// </summary>
public sealed class ExtractPurger
{
    private readonly ITrainingExtractStore _store;
    private readonly IRecordingShredder _shredder;
    private readonly ILogger _log;
    private readonly int _batchSize;

    /// <summary>Creates the purger.</summary>
    /// <param name="store">The extracts' rows (and the audit log, written with each deletion).</param>
    /// <param name="shredder">The vault: destroys an extract's key and file as it does a recording's.</param>
    /// <param name="log">Where each purge and failure is logged.</param>
    /// <param name="batchSize">Extracts read at once (memory stays flat whatever the backlog).</param>
    public ExtractPurger(ITrainingExtractStore store, IRecordingShredder shredder, ILogger log, int batchSize = 500)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(shredder);
        ArgumentNullException.ThrowIfNull(log);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        _store = store;
        _shredder = shredder;
        _log = log;
        _batchSize = batchSize;
    }

    /// <summary>Purges (or, in a dry run, lists on <paramref name="output"/>) every extract due as of <paramref name="asOf"/>.</summary>
    /// <returns>Extracts purged (would be, in a dry run) and extracts whose purge failed (retried at the next run).</returns>
    public async Task<(long Purged, long Failed)> RunAsync(DateTimeOffset asOf, bool dryRun, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        long purged = 0, failed = 0;
        var failedIds = new HashSet<Guid>();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // A dry run deletes nothing, so it reads every due extract at once (they are few: samples).
            int limit = dryRun ? int.MaxValue : _batchSize + failedIds.Count;
            IReadOnlyList<TrainingExtract> batch = await _store.ListExpiredExtractsAsync(asOf, limit, cancellationToken).ConfigureAwait(false);
            List<TrainingExtract> due = batch.Where(e => !failedIds.Contains(e.Id)).ToList();
            if (due.Count == 0)
            {
                return (purged, failed);
            }

            foreach (TrainingExtract extract in due)
            {
                string why = string.Create(CultureInfo.InvariantCulture, $"campaign {extract.CampaignId}, agent {extract.AgentId}, deadline {extract.RetentionUntil.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}");
                if (dryRun)
                {
                    purged++;
                    output.WriteLine($"purge  extract {extract.Id:D}  {why}");
                    continue;
                }

                try
                {
                    _shredder.DestroyKey(extract.KeyId);
                    _shredder.DeleteFile(extract.FilePath);
                    var audit = new AuditEvent(asOf, RetentionRunner.Actor, AuditAction.ExtractPurged, null, RetentionRunner.Reason, $"extract={extract.Id:D}; {why}");
                    await _store.DeleteExtractAsync(extract.Id, audit, cancellationToken).ConfigureAwait(false);
                    purged++;
                    _log.Information("Purged training extract {ExtractId}: {Why}", extract.Id, why);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or MetadataStoreException)
                {
                    failed++;
                    failedIds.Add(extract.Id);
                    _log.Error("Training extract {ExtractId} could not be purged (retried at the next run): {Error}", extract.Id, e.Message);
                }
            }

            if (dryRun)
            {
                return (purged, failed);
            }
        }
    }
}
