using System.Globalization;
using System.Text.Json;
using CallSwitch.Compliance.Access;
using CallSwitch.Compliance.Kpi;
using CallSwitch.Compliance.Storage.Sqlite;
using CallSwitch.Configuration;

namespace CallSwitch.Server.Cli;

/// <summary><c>callswitch kpi [--campaign C] [--from D] [--to D] [--json]</c>: the compliance indicators from the metadata store.</summary>
internal static class KpiCommands
{
    /// <summary>Prints the indicators of the period (by default, the current month so far).</summary>
    public static async Task<int> RunAsync(
        string? configPath,
        string? campaign,
        string? from,
        string? to,
        bool json,
        string? asUser,
        Func<string?> readPassword,
        Func<string?, ConfigLoadResult> load,
        TextWriter output,
        TextWriter error,
        CancellationToken cancellationToken)
    {
        if (StoreCommand.LoadConfig(configPath, load, error) is not { } config)
        {
            return 2;
        }

        if (campaign is not null && config.FindCampaign(campaign) is null)
        {
            error.WriteLine($"--campaign: no campaign {campaign} in the configuration");
            return 2;
        }

        if (!CliDates.TryRange(from, to, error, out DateTimeOffset? start, out DateTimeOffset? before))
        {
            return 2;
        }

        DateTimeOffset now = DateTimeOffset.UtcNow;
        var query = new KpiQuery(start ?? new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero), before ?? now, campaign);
        if (query.Before <= query.From)
        {
            error.WriteLine("--to must come after --from");
            return 2;
        }

        if (!StoreCommand.HasStore(config, error))
        {
            return 1;
        }

        await using SqliteMetadataStore store = StoreCommand.OpenStore(config);
        AccessResource scope = campaign is null ? AccessResource.System : new AccessResource { CampaignId = campaign };
        if (await CliAccess.DemandAsync(store, config, asUser, readPassword, AccessAction.Kpi, scope, "kpi", error, cancellationToken).ConfigureAwait(false) is null)
        {
            return 1;
        }

        KpiReport report = await store.ComputeKpiAsync(query, cancellationToken).ConfigureAwait(false);
        if (json)
        {
            output.WriteLine(JsonSerializer.Serialize(
                new
                {
                    from = report.Query.From,
                    to = report.Query.Before,
                    campaign = report.Query.CampaignId,
                    calls = report.Calls,
                    recorded = report.CallsRecorded,
                    share_recorded = report.ShareRecorded,
                    informed = report.CallsInformed,
                    share_informed = report.ShareInformed,
                    pauses = report.Pauses,
                    oppositions_agent = report.OppositionsAgent,
                    oppositions_prospect = report.OppositionsProspect,
                    recordings_purged = report.RecordingsPurged,
                    bytes_freed = report.BytesFreed,
                    listens_by_role = report.ListensByRole,
                    requests_received = report.RequestsReceived,
                    requests_handled = report.RequestsHandled,
                    requests_overdue = report.RequestsOverdue,
                    requests_mean_handling_days = report.MeanRequestHandlingTime?.TotalDays,
                },
                new JsonSerializerOptions { WriteIndented = true }));
            return 0;
        }

        string Instant(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        string Share(double share) => share.ToString("P1", CultureInfo.InvariantCulture);
        output.WriteLine($"period {Instant(query.From)} to {Instant(query.Before)}, campaign {campaign ?? "(all)"}");
        output.WriteLine($"calls: {report.Calls}");
        output.WriteLine($"recorded: {report.CallsRecorded} ({Share(report.ShareRecorded)})");
        output.WriteLine($"informed (notice played in full): {report.CallsInformed} ({Share(report.ShareInformed)})");
        output.WriteLine($"pauses: {report.Pauses}");
        output.WriteLine($"oppositions: agent {report.OppositionsAgent}, prospect {report.OppositionsProspect}");
        output.WriteLine($"purged: {report.RecordingsPurged} recording(s), {report.BytesFreed} bytes freed");
        output.WriteLine($"listens by role: {(report.ListensByRole.Count == 0 ? "none" : string.Join(", ", report.ListensByRole.Select(kv => $"{kv.Key} {kv.Value}")))}");
        string mean = report.MeanRequestHandlingTime is { } m ? $", mean handling {m.TotalDays.ToString("0.0", CultureInfo.InvariantCulture)} days" : string.Empty;
        output.WriteLine($"data-subject requests: received {report.RequestsReceived}, handled {report.RequestsHandled}{mean}, overdue {report.RequestsOverdue}");
        return 0;
    }
}
