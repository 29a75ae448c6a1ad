using System.Diagnostics;

namespace CallSwitch.LoadHarness.Rtp;

/// <summary>
/// One-way delay from the generator's send to its receive, in 10 µs buckets up to 2 s (later
/// ones land in the last bucket; the exact maximum is kept apart). Written by one thread.
/// </summary>
internal sealed class LatencyHistogram
{
    private const long BucketMicroseconds = 10;
    private readonly long[] _buckets = new long[200_000];
    private long _maxTicks;

    public long Count { get; private set; }

    public void Add(long ticks)
    {
        if (ticks < 0)
        {
            ticks = 0;
        }

        long us = ticks * 1_000_000 / Stopwatch.Frequency;
        long bucket = Math.Min(us / BucketMicroseconds, _buckets.Length - 1);
        _buckets[bucket]++;
        Count++;
        if (ticks > _maxTicks)
        {
            _maxTicks = ticks;
        }
    }

    public double MaxMilliseconds => _maxTicks * 1000.0 / Stopwatch.Frequency;

    /// <summary>The upper edge of the bucket holding the <paramref name="quantile"/>, in ms; NaN when empty.</summary>
    public double Percentile(double quantile)
    {
        if (Count == 0)
        {
            return double.NaN;
        }

        long rank = (long)Math.Ceiling(quantile * Count);
        long seen = 0;
        for (int i = 0; i < _buckets.Length; i++)
        {
            seen += _buckets[i];
            if (seen >= rank)
            {
                return Math.Min((i + 1) * BucketMicroseconds / 1000.0, MaxMilliseconds);
            }
        }

        return MaxMilliseconds;
    }
}
