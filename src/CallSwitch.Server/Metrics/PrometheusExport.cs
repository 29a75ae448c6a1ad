using Microsoft.AspNetCore.Routing;
using Prometheus;

namespace CallSwitch.Server.Metrics;

/// <summary>
/// Serves a switch's meter in the Prometheus text format at <see cref="Path"/>, through
/// prometheus-net's meter adapter: each instrument becomes <c>callswitch_{instrument}</c> (dots
/// to underscores), typed gauge even for counters (the adapter's choice: a .NET counter may be
/// re-created and start again from zero), its tags as labels. Each switch has its own registry listening to its own meter
/// only, so that two switches in one process (tests) never mix their counters.
/// </summary>
public sealed class PrometheusExport : IDisposable
{
    /// <summary>The scrape path.</summary>
    public const string Path = "/metrics";

    private readonly IDisposable _adapter;

    /// <summary>Starts exporting <paramref name="metrics"/>.</summary>
    public PrometheusExport(SwitchMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        Registry = Prometheus.Metrics.NewCustomRegistry();
        Func<System.Diagnostics.Metrics.Instrument, double[]> defaultBuckets = new MeterAdapterOptions().ResolveHistogramBuckets;
        _adapter = MeterAdapter.StartListening(new MeterAdapterOptions
        {
            Registry = Registry,

            // prometheus-net 8.2.1 creates the adapted metrics with this factory, not in Registry (which gets only its own gauge).
            MetricFactory = Prometheus.Metrics.WithCustomRegistry(Registry),
            InstrumentFilterPredicate = instrument => ReferenceEquals(instrument.Meter, metrics.Meter),

            // Collector pauses are tens of µs to tens of ms: the adapter's default buckets start too high.
            ResolveHistogramBuckets = instrument => instrument.Name == GcMetrics.PauseDurationInstrument ? [.. GcMetrics.PauseBuckets] : defaultBuckets(instrument),
        });
    }

    /// <summary>The registry scraped.</summary>
    public CollectorRegistry Registry { get; }

    /// <summary>Maps <see cref="Path"/> on <paramref name="endpoints"/>.</summary>
    public void Map(IEndpointRouteBuilder endpoints) => endpoints.MapMetrics(Path, Registry);

    /// <inheritdoc />
    public void Dispose() => _adapter.Dispose();
}
