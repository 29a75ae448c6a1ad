namespace CallSwitch.Compliance.Storage;

/// <summary>The store writer's latency figures at one instant (<see cref="WriteLatencyHistogram.Snapshot"/>).</summary>
/// <param name="Count">Writes recorded.</param>
/// <param name="P50">Median latency (queued → committed).</param>
/// <param name="P99">99th percentile.</param>
/// <param name="Max">The largest.</param>
public sealed record WriteLatencySnapshot(long Count, TimeSpan P50, TimeSpan P99, TimeSpan Max)
{
    /// <summary>One line for a log: <c>1234 writes, p50 0.41 ms, p99 3.2 ms, max 12.0 ms</c>.</summary>
    public override string ToString() =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Count} writes, p50 {P50.TotalMilliseconds:F2} ms, p99 {P99.TotalMilliseconds:F2} ms, max {Max.TotalMilliseconds:F2} ms");
}
