using System.Diagnostics;
using System.Text.RegularExpressions;
using CallSwitch.Compliance.Storage;
using CallSwitch.Compliance.Storage.Sqlite;

namespace CallSwitch.Retention.Tests;

/// <summary>
/// Two real <c>callswitch-retention</c> processes started together by mistake on one store: the
/// lease lets one purge; the other exits with the holder named. Every recording is purged once:
/// one tombstone, one receipt, one erase entry in the audit log.
/// </summary>
public sealed partial class TwoSidecarProcessesTests
{
    // Enough that the first sidecar is still purging when the second asks for the lease (a few seconds).
    private const int Recordings = 1200;

    private static readonly string SidecarDll = Path.Combine(AppContext.BaseDirectory, "callswitch-retention.dll");

    [Fact]
    public async Task OnePurgesEveryRecordingOnceAndTheOtherExitsWithAClearMessage()
    {
        using var fixture = new RetentionStoreFixture();
        await using (SqliteMetadataStore store = fixture.OpenStore())
        {
            // Recorded 8 at a time, as concurrent calls would be.
            var numbers = Enumerable.Range(0, Recordings).Select(i => $"+336{10_000_000 + i:D8}").ToList();
            await Parallel.ForEachAsync(numbers, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (number, _) => await fixture.RecordAsync(store, "demo-en", 90, number));
        }

        string asOf = RetentionStoreFixture.Started.AddDays(120).ToString("o");
        Assert.True(File.Exists(SidecarDll), "the sidecar is not built beside the tests: " + SidecarDll);
        using Process first = Start(fixture.ConfigPath, asOf);
        using Process second = Start(fixture.ConfigPath, asOf);
        (int Code, string Error)[] ends;
        try
        {
            ends = await Task.WhenAll(EndAsync(first), EndAsync(second));
        }
        finally
        {
            foreach (Process p in new[] { first, second }.Where(p => !p.HasExited))
            {
                p.Kill(entireProcessTree: true);
            }
        }

        // One purged, the other was turned away by the lease while it did.
        (int Code, string Error) purger = Assert.Single(ends, e => e.Code == 0);
        (int Code, string Error) refused = Assert.Single(ends, e => e.Code == 1);
        Assert.Matches(LeaseRefusal(), refused.Error);
        Assert.DoesNotContain("Purged recording", refused.Error, StringComparison.Ordinal);
        Assert.Equal(Recordings, Regex.Count(purger.Error, "Purged recording"));

        await using SqliteMetadataStore check = fixture.OpenStore();
        RecordingPage page = await check.SearchRecordingsAsync(new RecordingQuery { PageSize = RecordingQuery.MaxPageSize, CampaignId = "demo-en" });
        Assert.Equal(Recordings, page.TotalCount);
        var erasures = (await check.ReadAuditAsync(0, 100_000)).Where(e => e.Event.Action == AuditAction.Erase).GroupBy(e => e.Event.RecordingId).ToList();
        Assert.Equal(Recordings, erasures.Count);
        Assert.All(erasures, g => Assert.Single(g));
        int receipts = 0;
        RecordingQuery? query = new() { PageSize = RecordingQuery.MaxPageSize };
        while (query is not null)
        {
            RecordingPage rows = await check.SearchRecordingsAsync(query);
            foreach (RecordingMetadata row in rows.Items)
            {
                Assert.True(row.IsErased, $"recording {row.Id} was not purged");
                receipts += await check.GetReceiptAsync(row.Id) is null ? 0 : 1;
            }

            query = rows.NextQuery(query);
        }

        Assert.Equal(Recordings, receipts);
    }

    // A line of its own among the log lines.
    [GeneratedRegex(@"^another retention sidecar \(\S+/\d+/[0-9a-f]{32}\) holds the lease on this store until \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ: not purging$", RegexOptions.Multiline)]
    private static partial Regex LeaseRefusal();

    private static Process Start(string config, string asOf)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in new[] { SidecarDll, "--config", config, "--now", asOf })
        {
            info.ArgumentList.Add(argument);
        }

        return Process.Start(info) ?? throw new InvalidOperationException("the sidecar did not start");
    }

    /// <summary>Waits for the process (two minutes at most) and returns its exit code and standard error (its log).</summary>
    private static async Task<(int Code, string Error)> EndAsync(Process process)
    {
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        await output;
        return (process.ExitCode, await error);
    }
}
