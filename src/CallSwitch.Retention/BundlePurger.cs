using System.Globalization;
using CallSwitch.Compliance.Erasure;
using CallSwitch.Compliance.Storage;
using Serilog;

namespace CallSwitch.Retention;

/// <summary>
/// Deletes the access bundles (<c>{data}/bundles/*.zip</c>: a data-subject request's answer, the
/// person's recordings in clear) written more than <c>retention.access_bundle_days</c> ago: the file
/// is overwritten with zeros, deleted, and its folder flushed, then one audit entry names it. A
/// bundle is there for the DPO to send within the month Art. 12(3) allows; kept longer, it is a
/// copy of personal data without a purpose. A bundle still being written (<c>.partial</c>) is left alone.
/// </summary>
public sealed class BundlePurger
{
    private readonly string _folder;
    private readonly IAuditLog _audit;
    private readonly IRecordingShredder _shredder;
    private readonly ILogger _log;

    /// <summary>Creates the purger of the bundles in <paramref name="folder"/>.</summary>
    /// <param name="folder">The bundles' folder (it may not exist: then there is nothing to do).</param>
    /// <param name="audit">Where each deletion is written.</param>
    /// <param name="shredder">Deletes a file durably (the vault's, as for recordings).</param>
    /// <param name="log">Where each deletion and failure is logged.</param>
    public BundlePurger(string folder, IAuditLog audit, IRecordingShredder shredder, ILogger log)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(shredder);
        ArgumentNullException.ThrowIfNull(log);
        _folder = folder;
        _audit = audit;
        _shredder = shredder;
        _log = log;
    }

    /// <summary>Deletes (or, in a dry run, lists on <paramref name="output"/>) every bundle written before <paramref name="asOf"/> − <paramref name="keepDays"/>.</summary>
    /// <returns>Bundles deleted (would be, in a dry run) and bundles whose deletion failed (retried at the next run).</returns>
    public async Task<(long Purged, long Failed)> RunAsync(DateTimeOffset asOf, int keepDays, bool dryRun, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfLessThan(keepDays, 1);
        if (!Directory.Exists(_folder))
        {
            return (0, 0);
        }

        DateTimeOffset cutoff = asOf.AddDays(-keepDays);
        long purged = 0, failed = 0;
        foreach (string path in Directory.EnumerateFiles(_folder, "*.zip").Order(StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var written = new DateTimeOffset(File.GetLastWriteTimeUtc(path), TimeSpan.Zero);
            if (written >= cutoff)
            {
                continue;
            }

            string why = string.Create(CultureInfo.InvariantCulture, $"file={path} written={written.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'} kept={keepDays} days");
            if (dryRun)
            {
                purged++;
                output.WriteLine($"purge  bundle {Path.GetFileName(path)}  written {written.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}");
                continue;
            }

            try
            {
                Overwrite(path);
                _shredder.DeleteFile(path);
                await _audit.AppendAuditAsync(new AuditEvent(asOf, RetentionRunner.Actor, AuditAction.RequestBundleDeleted, null, RetentionRunner.Reason, why), cancellationToken)
                    .ConfigureAwait(false);
                purged++;
                _log.Information("Deleted access bundle {Bundle}: written {Written:o}, kept {Days} days", Path.GetFileName(path), written, keepDays);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or MetadataStoreException)
            {
                failed++;
                _log.Error("Access bundle {Bundle} could not be deleted (retried at the next run): {Error}", Path.GetFileName(path), e.Message);
            }
        }

        return (purged, failed);
    }

    // The audio in it is in clear: zeros over it first (best effort: a copy-on-write or flash
    // file system may keep the old blocks; the folder is owner-only either way).
    private static void Overwrite(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.None);
        byte[] zeros = new byte[64 * 1024];
        for (long left = file.Length; left > 0; left -= zeros.Length)
        {
            file.Write(zeros, 0, (int)Math.Min(zeros.Length, left));
        }

        file.Flush(flushToDisk: true);
    }
}
