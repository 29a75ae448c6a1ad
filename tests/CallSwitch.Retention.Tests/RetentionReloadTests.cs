using System.Diagnostics;
using System.Text.RegularExpressions;
using CallSwitch.Compliance.Storage;
using CallSwitch.Compliance.Storage.Sqlite;
using CallSwitch.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace CallSwitch.Retention.Tests;

/// <summary>
/// The looping sidecar (no --once) in process on a fake clock: its configuration file changes while
/// it runs, and the next pass follows the new rule; a broken file is refused with its line:column
/// and the rule in force stays.
/// </summary>
public sealed partial class RetentionReloadTests
{
    /// <summary>A wait on the sidecar's own thread, bounded: never a measure of time.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task AShortenedRetentionWrittenWhileItRunsPurgesAtTheNextPassAndABrokenFileKeepsTheRuleInForce()
    {
        using var fixture = new RetentionStoreFixture();
        var time = new FakeTimeProvider(RetentionStoreFixture.Started.AddDays(10));
        RetentionStoreFixture.Seeded first, second;
        await using (SqliteMetadataStore store = fixture.OpenStore())
        {
            first = await fixture.RecordAsync(store, "demo-en", 90, "+33612345678");
        }

        var log = new StringWriter();
        using var stop = new CancellationTokenSource();
        Task<int> sidecar = Task.Run(() => RetentionSidecar.RunAsync(
            new SidecarOptions(fixture.ConfigPath, Once: false, DryRun: false, AsOf: null), TextWriter.Null, TextWriter.Null, TextLog.Create(log), time, stop.Token));
        try
        {
            // Pass 1, day 10: demo-en keeps 90 days, nothing is due.
            await UntilAsync(() => Runs(log) == 1, log);
            Assert.Contains("1 live recording(s), 0 purged", Text(log), StringComparison.Ordinal);

            // The admin shortens demo-en to 5 days; the watcher reloads (its debounce is on the same clock).
            File.WriteAllText(fixture.ConfigPath, RetentionStoreFixture.Yaml(("retention_days: 90", "retention_days: 5")));
            await UntilAsync(() => Text(log).Contains("Configuration reloaded", StringComparison.Ordinal), log, () => time.Advance(TimeSpan.FromMilliseconds(100)));

            // Pass 2, one interval (15 min) later: day 5 is behind, the recording goes.
            time.Advance(TimeSpan.FromMinutes(15));
            await UntilAsync(() => Runs(log) == 2, log);
            Assert.False(File.Exists(first.FilePath));
            Assert.False(fixture.HasKey(first.KeyId));
            await using (SqliteMetadataStore store = fixture.OpenStore())
            {
                Assert.True((await store.GetRecordingAsync(first.Id))!.IsErased);
                second = await fixture.RecordAsync(store, "demo-en", 90, "+33698765432", RetentionStoreFixture.Started.AddDays(8));
            }

            // A broken file: refused with where it is broken; the 5-day rule stays.
            File.WriteAllText(fixture.ConfigPath, RetentionStoreFixture.Yaml(("retention_days: 90", "retention_days: 5")) + "\ncampaigns: [unclosed\n");
            await UntilAsync(() => Text(log).Contains("refused", StringComparison.Ordinal), log, () => time.Advance(TimeSpan.FromMilliseconds(100)));
            Assert.Matches(LineColumn(), Text(log));
            Assert.Contains("the running configuration stays", Text(log), StringComparison.Ordinal);

            // Pass 3 on day 14: the second recording (day 8 + 5 days) is due under the rule still in force.
            time.Advance(TimeSpan.FromDays(4));
            await UntilAsync(() => Runs(log) >= 3, log);
            Assert.False(File.Exists(second.FilePath));
            await using (SqliteMetadataStore store = fixture.OpenStore())
            {
                Assert.True((await store.GetRecordingAsync(second.Id))!.IsErased);
            }
        }
        finally
        {
            await stop.CancelAsync();
        }

        Assert.Equal(0, await sidecar.WaitAsync(Bound));
    }

    [GeneratedRegex(@"callswitch\.yaml:\d+:\d+")]
    private static partial Regex LineColumn();

    private static string Text(StringWriter log)
    {
        lock (log)
        {
            return log.ToString();
        }
    }

    private static int Runs(StringWriter log) => Regex.Count(Text(log), "Retention run as of");

    /// <summary>Waits for the sidecar's thread to get there, doing <paramref name="step"/> between looks; fails with the log after <see cref="Bound"/>.</summary>
    private static async Task UntilAsync(Func<bool> done, StringWriter log, Action? step = null)
    {
        var clock = Stopwatch.StartNew();
        while (!done())
        {
            Assert.True(clock.Elapsed < Bound, "the sidecar did not get there; its log:\n" + Text(log));
            step?.Invoke();
            await Task.Delay(20);
        }
    }
}
