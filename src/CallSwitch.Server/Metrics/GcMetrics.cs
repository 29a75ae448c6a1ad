using System.Diagnostics.Metrics;

namespace CallSwitch.Server.Metrics;

/// <summary>
/// The garbage collector's behaviour on the switch's meter, from what the runtime already keeps:
/// <list type="bullet">
/// <item><c>gc.collections</c> tagged <c>generation</c> (0, 1, 2): collections of exactly that
/// generation (<see cref="GC.CollectionCount"/> counts a gen-1 collection for gen 0 too; the
/// higher ones are taken off, as the runtime's own <c>dotnet.gc.collections</c> does).</item>
/// <item><c>gc.pause.time</c>: seconds the managed threads were stopped, <see cref="GC.GetTotalPauseDuration"/>.</item>
/// <item><c>gc.pause.duration</c>: a histogram of each pause (<see cref="GcPauseListener"/>), buckets <see cref="PauseBuckets"/>.</item>
/// <item><c>gc.pause.longest</c>: the longest pause since start, in seconds.</item>
/// <item><c>gc.heap.size</c>: bytes on the managed heap after the last collection; <c>gc.heap.committed</c>:
/// bytes the collector has committed (<see cref="GC.GetGCMemoryInfo()"/>).</item>
/// <item><c>gc.allocated</c>: bytes allocated since start (<see cref="GC.GetTotalAllocatedBytes"/>).</item>
/// </list>
/// The observable ones are read at collection time (a scrape); the histogram is fed once per
/// pause on the runtime's event thread. The packet path pays nothing.
/// </summary>
public sealed class GcMetrics : IDisposable
{
    /// <summary>The pause histogram's instrument name.</summary>
    public const string PauseDurationInstrument = "gc.pause.duration";

    /// <summary>
    /// Upper bounds of the pause histogram's buckets, in seconds: from 50 µs (a gen-0 collection of
    /// a small heap) to 1 s (a blocking gen-2 of a large one).
    /// </summary>
    public static IReadOnlyList<double> PauseBuckets { get; } =
        [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0];

    private readonly GcPauseListener _pauses = new();

    /// <summary>Adds the instruments to <paramref name="meter"/> and starts timing pauses.</summary>
    public GcMetrics(Meter meter)
    {
        ArgumentNullException.ThrowIfNull(meter);
        meter.CreateObservableCounter(
            "gc.collections",
            () => new[]
            {
                Generation(GC.CollectionCount(0) - GC.CollectionCount(1), 0),
                Generation(GC.CollectionCount(1) - GC.CollectionCount(2), 1),
                Generation(GC.CollectionCount(2), 2),
            },
            "{collection}",
            "Garbage collections of exactly this generation since start");
        meter.CreateObservableCounter("gc.pause.time", () => GC.GetTotalPauseDuration().TotalSeconds, "s", "Time the managed threads were paused by the collector since start");
        meter.CreateObservableGauge("gc.pause.longest", () => _pauses.Longest.TotalSeconds, "s", "The longest collector pause since start");
        meter.CreateObservableGauge("gc.heap.size", () => GC.GetGCMemoryInfo().HeapSizeBytes, "By", "Managed heap size after the last collection");
        meter.CreateObservableGauge("gc.heap.committed", () => GC.GetGCMemoryInfo().TotalCommittedBytes, "By", "Memory the collector has committed");
        meter.CreateObservableCounter("gc.allocated", () => GC.GetTotalAllocatedBytes(), "By", "Bytes allocated on the managed heap since start");
        Histogram<double> durations = meter.CreateHistogram<double>(PauseDurationInstrument, "s", "Each collector pause, suspension to restart");
        _pauses.Paused = pause => durations.Record(pause.TotalSeconds);
    }

    /// <inheritdoc />
    public void Dispose() => _pauses.Dispose();

    private static Measurement<long> Generation(long count, int generation) =>
        new(count, new KeyValuePair<string, object?>("generation", generation.ToString(System.Globalization.CultureInfo.InvariantCulture)));
}
