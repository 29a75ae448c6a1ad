using System.Globalization;
using CallSwitch.Compliance.Storage;
using CallSwitch.Compliance.Storage.Sqlite;
using CallSwitch.Configuration;
using CallSwitch.Recording.Vault;

namespace CallSwitch.Server.Cli;

/// <summary><c>callswitch retention status</c>: per campaign, recordings kept, bytes, next deadline, held, purged in the last run.</summary>
internal static class RetentionStatusCommand
{
    /// <summary>Prints the status table, then the last run.</summary>
    public static async Task<int> RunAsync(string? configPath, Func<string?, ConfigLoadResult> load, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (StoreCommand.LoadWithStore(load, configPath, error, out int exitCode) is not { } config)
        {
            return exitCode;
        }

        // Holds on a number are checked by its keyed hash: the master key is needed for them.
        using RecordingVault? vault = RecordingVault.HasMasterKey(config.Paths.Data, out _)
            ? RecordingVault.OpenExisting(config.Paths.Data, config.Paths.Spool, Serilog.Core.Logger.None)
            : null;
        await using SqliteMetadataStore store = SqliteMetadataStore.Open(
            new SqliteMetadataStoreOptions { DataDirectory = config.Paths.Data, NumberDigest = vault is null ? null : vault.Digest });
        IReadOnlyList<CampaignRetentionStatus> campaigns = await store.GetRetentionStatusAsync(DateTimeOffset.UtcNow, cancellationToken).ConfigureAwait(false);
        RetentionRun? last = await store.GetLastRetentionRunAsync(cancellationToken).ConfigureAwait(false);
        output.WriteLine($"{"campaign",-20} {"kept",8} {"bytes",14} {"next deadline",-20} {"held",6} {"purged last run",15}");
        foreach (CampaignRetentionStatus c in campaigns)
        {
            string next = c.NextDeadline is { } d ? Iso(d) : "-";
            output.WriteLine($"{c.CampaignId,-20} {c.Kept,8} {c.Bytes,14} {next,-20} {c.Held,6} {c.PurgedInLastRun,15}");
        }

        output.WriteLine(last is null
            ? "no retention run yet"
            : $"last run {Iso(last.StartedAt)} to {Iso(last.EndedAt)} as of {Iso(last.AsOf)}: {last.Purged} purged, {last.Held} held, {last.Failed} failed");
        return 0;
    }

    private static string Iso(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
