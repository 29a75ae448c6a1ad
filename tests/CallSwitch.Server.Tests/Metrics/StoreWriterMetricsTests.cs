using System.Diagnostics.Metrics;
using CallSwitch.Compliance.Storage;
using CallSwitch.Server.Metrics;

namespace CallSwitch.Server.Tests.Metrics;

/// <summary>The store writer's latency on a meter: what /metrics serves as callswitch_store_writes and callswitch_store_write_latency.</summary>
public sealed class StoreWriterMetricsTests
{
    [Fact]
    public void TheInstrumentsReadTheWritersHistogramAtCollectionTime()
    {
        using var meter = new Meter("CallSwitch.Tests." + Guid.NewGuid().ToString("N"));
        var latency = new WriteLatencyHistogram();
        StoreWriterMetrics.Add(meter, latency);
        latency.Record(TimeSpan.FromMilliseconds(2));
        latency.Record(TimeSpan.FromMilliseconds(2));
        latency.Record(TimeSpan.FromMilliseconds(40));

        var seen = new Dictionary<string, double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, meter))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => seen[instrument.Name] = value);
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
            seen[$"{instrument.Name}{{{tags[0].Key}={tags[0].Value}}}"] = value);
        listener.Start();
        listener.RecordObservableInstruments();

        Assert.Equal(3, seen["store.writes"]);
        Assert.InRange(seen["store.write.latency{quantile=0.5}"], 0.002, 0.002 * 1.125);
        Assert.InRange(seen["store.write.latency{quantile=0.99}"], 0.040, 0.040 * 1.125);
        Assert.Equal(0.040, seen["store.write.latency{quantile=max}"], 6);
    }
}
