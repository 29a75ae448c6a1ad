using System.Diagnostics.Metrics;
using CallSwitch.Compliance.Storage;

namespace CallSwitch.Server.Metrics;

/// <summary>
/// The metadata store writer's latency on the switch's meter: <c>store.writes</c> (committed writes)
/// and <c>store.write.latency</c> in seconds with a <c>quantile</c> tag (0.5, 0.99, max), from queued
/// to committed. Read at scrape time from the writer's histogram: the archive path pays one
/// histogram increment per write, nothing more. A retention sidecar purging beside the switch
/// shows here if it ever makes the switch's writes wait.
/// </summary>
public static class StoreWriterMetrics
{
    /// <summary>Adds the instruments to <paramref name="meter"/>.</summary>
    public static void Add(Meter meter, WriteLatencyHistogram latency)
    {
        ArgumentNullException.ThrowIfNull(meter);
        ArgumentNullException.ThrowIfNull(latency);
        meter.CreateObservableCounter("store.writes", () => latency.Snapshot().Count, "{write}", "Metadata writes committed by the store's writer");
        meter.CreateObservableGauge(
            "store.write.latency",
            () =>
            {
                WriteLatencySnapshot s = latency.Snapshot();
                return new[]
                {
                    Quantile(s.P50, "0.5"),
                    Quantile(s.P99, "0.99"),
                    Quantile(s.Max, "max"),
                };
            },
            "s",
            "Metadata write latency, queued to committed (queue wait + execution + commit), since start");
    }

    private static Measurement<double> Quantile(TimeSpan value, string quantile) =>
        new(value.TotalSeconds, new KeyValuePair<string, object?>("quantile", quantile));
}
