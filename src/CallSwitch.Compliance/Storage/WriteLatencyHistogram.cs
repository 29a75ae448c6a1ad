namespace CallSwitch.Compliance.Storage;

/// <summary>
/// How long the store's writes take from the caller's point of view: from the instant a write is
/// queued to the instant its transaction commits (queue wait + execution + commit), recorded by the
/// store's single writer and read by metrics and logs. Log-scale buckets (8 per power of two,
/// ≤ 12.5 % error), so the memory is fixed whatever the number of writes.
/// </summary>
/// <remarks>Thread-safe and lock-free: <see cref="Record"/> is called by the writer, <see cref="Snapshot"/> by anyone.</remarks>
public sealed class WriteLatencyHistogram
{
    // Values under 16 µs have a bucket each; above, 8 buckets per power of two up to 2^40 µs (12 days).
    private const int Linear = 16;
    private const int SubBuckets = 8;
    private const int SubBits = 3;
    private const int MaxExponent = 40;

    private readonly long[] _counts = new long[Linear + ((MaxExponent - 4 + 1) * SubBuckets)];
    private long _count;
    private long _maxMicroseconds;

    /// <summary>Records one write's latency.</summary>
    public void Record(TimeSpan latency)
    {
        long microseconds = Math.Max(0, latency.Ticks / TimeSpan.TicksPerMicrosecond);
        Interlocked.Increment(ref _counts[Index(microseconds)]);
        Interlocked.Increment(ref _count);
        long max = Interlocked.Read(ref _maxMicroseconds);
        while (microseconds > max)
        {
            long seen = Interlocked.CompareExchange(ref _maxMicroseconds, microseconds, max);
            if (seen == max)
            {
                break;
            }

            max = seen;
        }
    }

    /// <summary>The figures so far: count, median, 99th percentile (each the upper bound of its bucket) and the exact maximum.</summary>
    public WriteLatencySnapshot Snapshot()
    {
        long[] counts = new long[_counts.Length];
        long total = 0;
        for (int i = 0; i < counts.Length; i++)
        {
            counts[i] = Interlocked.Read(ref _counts[i]);
            total += counts[i];
        }

        long max = Interlocked.Read(ref _maxMicroseconds);
        return new WriteLatencySnapshot(total, Quantile(counts, total, 0.50, max), Quantile(counts, total, 0.99, max), Micro(max));
    }

    private static TimeSpan Quantile(long[] counts, long total, double quantile, long max)
    {
        if (total == 0)
        {
            return TimeSpan.Zero;
        }

        long rank = (long)Math.Ceiling(quantile * total);
        long seen = 0;
        for (int i = 0; i < counts.Length; i++)
        {
            seen += counts[i];
            if (seen >= rank)
            {
                // Never above the largest value actually seen; the last bucket has no upper bound but it.
                return Micro(i == counts.Length - 1 ? max : Math.Min(UpperBound(i), max));
            }
        }

        return Micro(max);
    }

    private static int Index(long microseconds)
    {
        if (microseconds < Linear)
        {
            return (int)microseconds;
        }

        int exponent = 63 - System.Numerics.BitOperations.LeadingZeroCount((ulong)microseconds);
        if (exponent > MaxExponent)
        {
            return Linear + ((MaxExponent - 4) * SubBuckets) + SubBuckets - 1;
        }

        int sub = (int)((microseconds >> (exponent - SubBits)) & (SubBuckets - 1));
        return Linear + ((exponent - 4) * SubBuckets) + sub;
    }

    private static long UpperBound(int index)
    {
        if (index < Linear)
        {
            return index;
        }

        int exponent = ((index - Linear) / SubBuckets) + 4;
        int sub = (index - Linear) % SubBuckets;
        long width = 1L << (exponent - SubBits);
        return (1L << exponent) + ((sub + 1) * width) - 1;
    }

    private static TimeSpan Micro(long microseconds) => TimeSpan.FromTicks(microseconds * TimeSpan.TicksPerMicrosecond);
}
