using System.Globalization;
using CallSwitch.Compliance.Storage;
using CallSwitch.Recording.Encryption;
using CallSwitch.Recording.Repair;
using Serilog;

namespace CallSwitch.Recording.Vault;

/// <summary>
/// The vault's repair after a crash (kill -9, power loss): every recording the store still has in
/// progress is turned into a valid file with what reached the disk (<see cref="RecordingRepair"/>)
/// and its row completed as incomplete; then the spool is swept of what a crash left half-made.
/// Runs before the switch takes calls (<see cref="RecordingVault.RecoverAsync"/>,
/// <see cref="RecordingVault.SweepSpoolAsync"/>).
/// </summary>
/// <remarks>
/// Idempotent: a crash during recovery leaves rows still in progress and files either untouched
/// or already repaired, and the next start finishes the work. A recording whose file cannot be
/// repaired now (an I/O error) keeps its row in progress, to be tried again at the next start.
/// The row keeps the retention deadline it was created with: a repair does not know the true end,
/// and the deadline counts from the start anyway.
/// </remarks>
internal static class SpoolRecovery
{
    /// <summary>Repairs the recordings left in progress and completes their rows.</summary>
    /// <returns>How many were left in progress, and how many of them were completed.</returns>
    public static async Task<(int Left, int Completed)> RecoverAsync(IRecordingStore store, Func<Guid, byte[]> resolveKey, ILogger log, CancellationToken cancellationToken)
    {
        List<RecordingMetadata> left = await InProgressAsync(store, cancellationToken).ConfigureAwait(false);
        int completed = 0;
        foreach (RecordingMetadata recording in left)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (await RecoverAsync(store, resolveKey, recording, log, cancellationToken).ConfigureAwait(false))
            {
                completed++;
            }
        }

        return (left.Count, completed);
    }

    /// <summary>
    /// Sweeps the spool after <see cref="RecoverAsync(IRecordingStore, Func{Guid, byte[]}, ILogger, CancellationToken)"/>: a repair's temporary file (<c>*.repair</c>)
    /// left by a crash during recovery is deleted (the original is still there and its row still in
    /// progress), and so is an empty recording file that has no row — a crash between creating
    /// the file and committing its row, before which no byte is written. A file with bytes is
    /// never deleted (only empty files' rows are looked up, so a large spool costs one stat per file).
    /// </summary>
    /// <returns>How many files were deleted.</returns>
    public static async Task<int> SweepAsync(IRecordingStore store, string spool, ILogger log, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(spool))
        {
            return 0;
        }

        // One walk of the spool: it may hold years of recordings.
        int deleted = 0;
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true };
        foreach (FileInfo file in new DirectoryInfo(spool).EnumerateFiles("*", options))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (file.Name.EndsWith(RecordingRepair.TemporarySuffix, StringComparison.Ordinal))
            {
                if (TryDelete(file.FullName, log))
                {
                    log.Information("Start-up recovery: deleted {File}, a repair a crash interrupted (the recording's row is still in progress)", file.FullName);
                    deleted++;
                }

                continue;
            }

            if (file.Length != 0
                || !file.Name.EndsWith(RecordingVault.FileSuffix, StringComparison.Ordinal)
                || !Guid.TryParseExact(file.Name[..^RecordingVault.FileSuffix.Length], "N", out Guid id))
            {
                continue;
            }

            if (await store.GetRecordingAsync(id, cancellationToken).ConfigureAwait(false) is null && TryDelete(file.FullName, log))
            {
                log.Information("Start-up recovery: deleted {File}, empty and without a row (a crash before its row was committed)", file.FullName);
                deleted++;
            }
        }

        return deleted;
    }

    /// <summary>
    /// Re-seals the recordings stored incomplete whose file was left unsealed by a write failure (a
    /// full disk): authenticated but truncated, no final chunk. Each such file is repaired as after
    /// a crash (<see cref="RecordingRepair"/>) and its row updated with the new size, hash and
    /// length; the row stays incomplete, with its pauses, drops and deadline. Files already sealed
    /// are left as they are, so running it again changes nothing. Each recording looked at (its
    /// audio is decrypted to do so) is audited: who, which recording, the outcome.
    /// </summary>
    /// <returns>How many incomplete recordings were looked at, and how many were re-sealed.</returns>
    /// <exception cref="MetadataStoreException">An audit entry cannot be written: the repair stops there.</exception>
    public static async Task<(int Incomplete, int Resealed)> ResealIncompleteAsync(IRecordingStore store, Func<Guid, byte[]> resolveKey, RepairAudit audit, ILogger log, CancellationToken cancellationToken)
    {
        int found = 0, resealed = 0;
        RecordingQuery? query = new() { Status = RecordingStatus.Incomplete, IncludeErased = false, PageSize = RecordingQuery.MaxPageSize };
        while (query is not null)
        {
            RecordingPage page = await store.SearchRecordingsAsync(query, cancellationToken).ConfigureAwait(false);
            foreach (RecordingMetadata recording in page.Items)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (!recording.IsPlayable || recording.FilePath is not { } path)
                {
                    continue;
                }

                found++;
                (bool done, string outcome) = await ResealAsync(store, resolveKey, recording, path, log, cancellationToken).ConfigureAwait(false);
                if (done)
                {
                    resealed++;
                }

                await audit.Log.AppendAuditAsync(
                    new AuditEvent(audit.Time.GetUtcNow(), audit.Actor, AuditAction.RecordingRepaired, recording.Id, RepairAudit.Reason, outcome),
                    CancellationToken.None).ConfigureAwait(false);
            }

            query = page.NextQuery(query);
        }

        return (found, resealed);
    }

    /// <returns>Whether the file was re-sealed, and the outcome in words for the audit log.</returns>
    private static async Task<(bool Done, string Outcome)> ResealAsync(IRecordingStore store, Func<Guid, byte[]> resolveKey, RecordingMetadata recording, string path, ILogger log, CancellationToken cancellationToken)
    {
        string id = recording.Id.ToString("N");
        RecordingRepairResult result;
        try
        {
            result = RecordingRepair.Repair(path, resolveKey);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or RecordingIntegrityException)
        {
            log.Error("Recording {RecordingId} could not be re-sealed: {Error}", id, e.Message);
            return (false, "failed: " + e.Message);
        }

        if (result.Outcome is not (RecordingRepairOutcome.Repaired or RecordingRepairOutcome.NoAudio))
        {
            if (result.Outcome == RecordingRepairOutcome.AlreadyComplete)
            {
                return (false, "already sealed: unchanged");
            }

            log.Warning("Recording {RecordingId} was not re-sealed ({Outcome}: {Detail})", id, result.Outcome.ToString(), result.Detail);
            return (false, $"not re-sealed ({result.Outcome}: {result.Detail})");
        }

        await store.CompleteRecordingAsync(
            recording.Id,
            new RecordingCompletion
            {
                EndedAt = recording.EndedAt ?? recording.StartedAt + result.Duration,
                Duration = result.Duration,
                Status = RecordingStatus.Incomplete,
                DroppedPackets = recording.DroppedPackets,
                Pauses = recording.Pauses,
                FileSize = result.FileSize,
                CiphertextSha256 = result.CiphertextSha256,
            },
            cancellationToken).ConfigureAwait(false);
        double seconds = Math.Round(result.Duration.TotalSeconds, 2);
        log.Information(
            "Recording {RecordingId} of call {CallId} re-sealed ({Outcome}): {Duration} s kept, {Size} bytes; still marked incomplete",
            id,
            recording.CallId,
            result.Outcome.ToString(),
            seconds,
            result.FileSize);
        return (true, string.Create(CultureInfo.InvariantCulture, $"re-sealed ({result.Outcome}): {seconds} s kept, {result.FileSize} bytes"));
    }

    private static bool TryDelete(string path, ILogger log)
    {
        try
        {
            File.Delete(path);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.Warning("Start-up recovery: {File} cannot be deleted: {Error}", path, e.Message);
            return false;
        }
    }

    private static async Task<List<RecordingMetadata>> InProgressAsync(IRecordingStore store, CancellationToken cancellationToken)
    {
        // Collected first: completing a row takes it out of the query being paged.
        var left = new List<RecordingMetadata>();
        RecordingQuery? query = new() { Status = RecordingStatus.InProgress, IncludeErased = false, PageSize = RecordingQuery.MaxPageSize };
        while (query is not null)
        {
            RecordingPage page = await store.SearchRecordingsAsync(query, cancellationToken).ConfigureAwait(false);
            left.AddRange(page.Items);
            query = page.NextQuery(query);
        }

        return left;
    }

    private static async Task<bool> RecoverAsync(IRecordingStore store, Func<Guid, byte[]> resolveKey, RecordingMetadata recording, ILogger log, CancellationToken cancellationToken)
    {
        string id = recording.Id.ToString("N");
        RecordingRepairResult result;
        try
        {
            result = recording.FilePath is { } path
                ? RecordingRepair.Repair(path, resolveKey)
                : new RecordingRepairResult { Outcome = RecordingRepairOutcome.Missing, Detail = "no file path in the row" };
            if (result.Outcome == RecordingRepairOutcome.Unreadable && recording.FilePath is { } untouched)
            {
                // Left as it is: the row describes the file as it is.
                using FileStream file = File.OpenRead(untouched);
                result = result with { FileSize = file.Length, CiphertextSha256 = Convert.ToHexStringLower(await System.Security.Cryptography.SHA256.HashDataAsync(file, cancellationToken).ConfigureAwait(false)) };
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or RecordingIntegrityException)
        {
            log.Error("Recording {RecordingId} left in progress could not be repaired now: {Error}; it stays in progress until the next start", id, e.Message);
            return false;
        }

        var completion = new RecordingCompletion
        {
            EndedAt = recording.StartedAt + result.Duration,
            Duration = result.Duration,
            Status = RecordingStatus.Incomplete,
            FileSize = result.FileSize,
            CiphertextSha256 = result.CiphertextSha256,
        };
        try
        {
            await store.CompleteRecordingAsync(recording.Id, completion, cancellationToken).ConfigureAwait(false);
        }
        catch (MetadataStoreException e)
        {
            log.Error("Recording {RecordingId} repaired ({Outcome}) but its row could not be completed: {Error}; done again at the next start", id, result.Outcome.ToString(), e.Message);
            return false;
        }

        if (result.Outcome is RecordingRepairOutcome.Repaired or RecordingRepairOutcome.AlreadyComplete)
        {
            log.Information(
                "Recording {RecordingId} of call {CallId} recovered after a crash ({Outcome}): {Duration} s kept, {Size} bytes, {Detail}; marked incomplete",
                id,
                recording.CallId,
                result.Outcome.ToString(),
                Math.Round(result.Duration.TotalSeconds, 2),
                result.FileSize,
                result.Detail);
        }
        else
        {
            log.Warning(
                "Recording {RecordingId} of call {CallId} left by a crash was not repaired ({Outcome}: {Detail}); its row is completed as incomplete",
                id,
                recording.CallId,
                result.Outcome.ToString(),
                result.Detail);
        }

        return true;
    }
}
