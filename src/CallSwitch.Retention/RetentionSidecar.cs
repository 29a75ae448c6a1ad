using CallSwitch.Compliance.Requests;
using CallSwitch.Compliance.Erasure;
using CallSwitch.Compliance.Storage.Sqlite;
using CallSwitch.Configuration;
using CallSwitch.Recording.Vault;
using Serilog;

namespace CallSwitch.Retention;

/// <summary>
/// The sidecar's life: load the configuration, open the store, the vault and the receipt signer
/// of its paths, then run once or every <c>retention.interval</c>, reloading the configuration
/// file when it changes (a shortened retention applies at the next run).
/// </summary>
internal static class RetentionSidecar
{
    /// <summary>Runs the sidecar until done (once) or cancelled; the exit code.</summary>
    /// <param name="options">The command line.</param>
    /// <param name="output">The dry run's lines.</param>
    /// <param name="error">Refusals.</param>
    /// <param name="log">Runs, purges, reloads.</param>
    /// <param name="time">The clock of the runs, the interval and the reload's debounce (tests drive a fake one).</param>
    /// <param name="cancellationToken">Stops the loop (between two recordings).</param>
    public static async Task<int> RunAsync(SidecarOptions options, TextWriter output, TextWriter error, ILogger log, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(time);
        var (config, errors) = options.ConfigPath is null ? EmbeddedConfig.Load() : ConfigLoader.LoadFile(options.ConfigPath);
        if (config is null)
        {
            foreach (ConfigError e in errors)
            {
                error.WriteLine(e.ToString());
            }

            error.WriteLine($"refusing to start: {errors.Count} error(s) in the configuration");
            return 2;
        }

        string database = Path.Combine(config.Paths.Data, SqliteMetadataStoreOptions.DefaultFileName);
        if (!File.Exists(database))
        {
            // Never create a store: the sidecar purges what the switch recorded.
            error.WriteLine($"no metadata store at {database}: nothing recorded yet");
            return 1;
        }

        if (!RecordingVault.HasMasterKey(config.Paths.Data, out string where))
        {
            error.WriteLine($"no master key: {where}");
            return 1;
        }

        using RecordingVault vault = RecordingVault.OpenExisting(config.Paths.Data, config.Paths.Spool, log);
        await using SqliteMetadataStore store = SqliteMetadataStore.Open(
            new SqliteMetadataStoreOptions { DataDirectory = config.Paths.Data, NumberDigest = vault.Digest });

        // A dry run changes nothing, not even by creating the signing key.
        using EcdsaReceiptSigner? signer = options.DryRun ? null : EcdsaReceiptSigner.OpenOrCreate(Path.Combine(config.Paths.Data, EcdsaReceiptSigner.KeyFileName));
        RecordingEraser? eraser = signer is null ? null : new RecordingEraser(store, store, vault, vault, signer, time);
        var runner = new RetentionRunner(store, store, store, eraser, time, log);
        var extracts = new ExtractPurger(store, vault, log);
        var bundles = new BundlePurger(Path.Combine(config.Paths.Data, SubjectRequestService.BundleFolder), store, vault, log);

        using ConfigWatcher? watcher = options.ConfigPath is null || options.Once || options.DryRun ? null : new ConfigWatcher(options.ConfigPath, config, log, time);
        watcher?.Start();
        while (true)
        {
            SwitchConfig current = watcher?.Current ?? config;
            DateTimeOffset asOf = options.AsOf ?? time.GetUtcNow();
            RetentionRunSummary summary;
            try
            {
                summary = await runner.RunAsync(current, asOf, options.DryRun, output, cancellationToken).ConfigureAwait(false);

                // Without the lease the other sidecar purges the extracts too (each step is idempotent, but one is enough).
                if (summary.BlockedBy is null)
                {
                    (long purged, long failed) = await extracts.RunAsync(asOf, options.DryRun, output, cancellationToken).ConfigureAwait(false);
                    (long bundlesPurged, long bundlesFailed) = await bundles.RunAsync(asOf, current.Retention.AccessBundleDays, options.DryRun, output, cancellationToken).ConfigureAwait(false);
                    summary = summary with { ExtractsPurged = purged, BundlesPurged = bundlesPurged, Failed = summary.Failed + failed + bundlesFailed };
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return 0;
            }

            if (summary.BlockedBy is { } other)
            {
                string message = $"another retention sidecar ({other.Holder}) holds the lease on this store until {other.ExpiresAt.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}: not purging";
                if (options.Once)
                {
                    error.WriteLine(message);
                    return 1;
                }

                log.Warning("{Message}; trying again in {Interval}", message, current.Retention.Interval);
            }

            log.Information(
                "Retention run as of {AsOf:o}{DryRun}: {Scanned} live recording(s), {Purged} purged, {Held} held, {Failed} failed, {Shortened} deadline(s) shortened, {ExtractsPurged} training extract(s) purged, {BundlesPurged} access bundle(s) deleted",
                asOf,
                options.DryRun ? " (dry run)" : string.Empty,
                summary.Scanned,
                summary.Purged,
                summary.Held,
                summary.Failed,
                summary.Shortened,
                summary.ExtractsPurged,
                summary.BundlesPurged);
            if (options.DryRun)
            {
                output.WriteLine($"{summary.Purged} recording(s) would be purged, {summary.Held} held; {summary.ExtractsPurged} training extract(s) would be purged; {summary.BundlesPurged} access bundle(s) would be deleted");
            }

            if (options.Once || options.DryRun)
            {
                return summary.Failed == 0 ? 0 : 1;
            }

            try
            {
                await Task.Delay(current.Retention.Interval, time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return 0;
            }
        }
    }
}
