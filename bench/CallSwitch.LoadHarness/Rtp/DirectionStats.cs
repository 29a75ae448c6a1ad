namespace CallSwitch.LoadHarness.Rtp;

/// <summary>What one direction sent and got back, over the measurement window only.</summary>
internal sealed record DirectionStats(Direction Direction, long Sent, long Received, LatencyHistogram Latency)
{
    public long Lost => Math.Max(0, Sent - Received);

    public double LossPercent => Sent == 0 ? double.NaN : 100.0 * Lost / Sent;
}
