using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using CallSwitch.Calls.Sessions;
using CallSwitch.Server.Metrics;
using CallSwitch.Sip.Transport;
using CallSwitch.Sip.Transport.Loopback;

namespace CallSwitch.Server.Tests.Metrics;

/// <summary>The collector's figures in the text /metrics serves, read before and after forced collections.</summary>
public sealed partial class GcMetricsTests
{
    [Fact]
    public async Task TheExportedTextHasTheCollectorsSeriesAndTheyMoveAfterForcedCollections()
    {
        using var network = new LoopbackNetwork();
        await using var transport = new SipTransportLayer([network.CreateChannel(new IPEndPoint(IPAddress.Loopback, 5060))]);
        using var metrics = new SwitchMetrics(transport, new CallRegistry(), recordings: null);
        using var export = new PrometheusExport(metrics);
        string before = await ScrapeAsync(export);

        foreach (string series in new[] { "callswitch_gc_pause_time", "callswitch_gc_pause_longest", "callswitch_gc_heap_size", "callswitch_gc_heap_committed", "callswitch_gc_allocated" })
        {
            Assert.True(Value(before, series) is not null, $"{series} missing from:\n{before}");
        }

        Assert.True(Value(before, "callswitch_gc_heap_size") > 0, before);

        // Something to collect, then one blocking collection of each generation.
        var garbage = new List<byte[]>();
        for (int i = 0; i < 1000; i++)
        {
            garbage.Add(new byte[1024]);
        }

        garbage.Clear();
        GC.Collect(0, GCCollectionMode.Forced, blocking: true);
        GC.Collect(1, GCCollectionMode.Forced, blocking: true);
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);

        // The runtime hands its events to the listener on a thread of its own, a little later.
        string after = await ScrapeAsync(export);
        for (int i = 0; i < 100 && (Value(after, "callswitch_gc_pause_duration_count") ?? 0) < 3; i++)
        {
            await Task.Delay(100);
            after = await ScrapeAsync(export);
        }

        // Three collections, one of them of gen 2 (the collector may take a requested gen 1 further).
        double Collections(string text, int generation) => Value(text, "callswitch_gc_collections", $"generation=\"{generation}\"") ?? 0;
        Assert.True(Collections(after, 2) >= Collections(before, 2) + 1, before + "\n---\n" + after);
        Assert.True(Enumerable.Range(0, 3).Sum(g => Collections(after, g) - Collections(before, g)) >= 3, before + "\n---\n" + after);

        Assert.True(Value(after, "callswitch_gc_pause_time") > Value(before, "callswitch_gc_pause_time"), after);
        Assert.True(Value(after, "callswitch_gc_allocated") >= Value(before, "callswitch_gc_allocated") + (1000 * 1024), after);

        // Each of the three collections was timed: the histogram counted them, the longest is one of them.
        double pauses = Value(after, "callswitch_gc_pause_duration_count") ?? 0;
        Assert.True(pauses >= 3, "pauses timed: " + pauses + "\n" + after);
        double longest = Value(after, "callswitch_gc_pause_longest") ?? 0;
        Assert.InRange(longest, 1e-7, 5.0);
        Assert.True(Value(after, "callswitch_gc_pause_duration_sum") >= longest, after);
        Assert.True(Value(after, "callswitch_gc_pause_duration_sum") <= Value(after, "callswitch_gc_pause_time") * 1.5, "the pauses timed from the events add up to about the runtime's own total:\n" + after);

        // The histogram has the collector's buckets (from 50 µs), not the adapter's default ones.
        Assert.Contains("callswitch_gc_pause_duration_bucket{le=\"5e-05\"}", after, StringComparison.Ordinal);
        Assert.Equal(pauses, Value(after, "callswitch_gc_pause_duration_bucket", "le=\"+Inf\""));
    }

    private static async Task<string> ScrapeAsync(PrometheusExport export)
    {
        using var stream = new MemoryStream();
        await export.Registry.CollectAndExportAsTextAsync(stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>The value of the sample <paramref name="name"/> (with <paramref name="label"/> among its labels when given); null when absent.</summary>
    private static double? Value(string text, string name, string? label = null)
    {
        foreach (Match m in Sample().Matches(text))
        {
            if (m.Groups["name"].Value == name && (label is null || m.Groups["labels"].Value.Contains(label, StringComparison.Ordinal)))
            {
                return double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture);
            }
        }

        return null;
    }

    [GeneratedRegex(@"^(?<name>[a-z_]+)(\{(?<labels>[^}]*)\})? (?<value>\S+)", RegexOptions.Multiline)]
    private static partial Regex Sample();
}
