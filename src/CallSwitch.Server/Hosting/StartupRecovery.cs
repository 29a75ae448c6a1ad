using CallSwitch.Compliance.Storage;
using CallSwitch.Recording.Vault;
using Serilog;

namespace CallSwitch.Server.Hosting;

/// <summary>
/// What the switch does at start, before it takes calls, after a crash (kill -9, power loss): the
/// vault repairs the recordings left in progress (<see cref="RecordingVault.RecoverAsync"/>), every
/// call left without an end gets one (<see cref="EndReason"/>), and the vault sweeps its spool
/// (<see cref="RecordingVault.SweepSpoolAsync"/>). Idempotent: what a crash during recovery leaves
/// is finished at the next start.
/// </summary>
public static class StartupRecovery
{
    /// <summary>The end reason given to calls the switch stopped without ending.</summary>
    public const string EndReason = "switch-restart";

    /// <summary>Repairs the recordings left in progress, ends the calls left open and sweeps the spool.</summary>
    /// <param name="store">The metadata store.</param>
    /// <param name="vault">The recordings' vault; null when recording is not set up (the files are then left for a start that has the keys).</param>
    /// <param name="log">Where each repair and the summary are logged.</param>
    /// <param name="cancellationToken">Stops between recordings.</param>
    /// <returns>How many recordings were completed and calls ended.</returns>
    public static async Task<(int Recordings, int Calls)> RunAsync(IMetadataStore store, RecordingVault? vault, ILogger log, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(log);
        int left = 0, completed = 0;
        if (vault is not null)
        {
            (left, completed) = await vault.RecoverAsync(store, log, cancellationToken).ConfigureAwait(false);
        }
        else if ((await store.SearchRecordingsAsync(new RecordingQuery { Status = RecordingStatus.InProgress, IncludeErased = false, PageSize = 1 }, cancellationToken).ConfigureAwait(false)).Items.Count > 0)
        {
            log.Warning("Recordings left in progress by an earlier run are not repaired: recording is not set up (no keys)");
        }

        int calls = await store.EndOpenCallsAsync(EndReason, cancellationToken).ConfigureAwait(false);
        log.Information(
            "Start-up recovery: {Completed} of {Left} recording(s) left in progress completed, {Calls} call(s) left open ended ({Reason})",
            completed,
            left,
            calls,
            EndReason);
        if (vault is not null)
        {
            await vault.SweepSpoolAsync(store, log, cancellationToken).ConfigureAwait(false);
        }

        return (completed, calls);
    }
}
