namespace CallSwitch.LoadHarness.Memory;

/// <summary>
/// The switch's resident set sampled through the window: seconds since the window opened and
/// bytes. Figures over it: extremes, median, the least-squares slope (growth per minute), and
/// the medians of its first and last stretch (growth that a slope hides behind a step).
/// </summary>
internal sealed class RssSeries
{
    private const double MiB = 1024.0 * 1024.0;
    private readonly List<(double Seconds, long Bytes)> _samples = [];

    public void Add(double seconds, long bytes)
    {
        // A sample of 0 is a process that had ended: not a figure.
        if (bytes > 0)
        {
            _samples.Add((seconds, bytes));
        }
    }

    public int Count => _samples.Count;

    public long Min => _samples.Count == 0 ? 0 : _samples.Min(s => s.Bytes);

    public long Max => _samples.Count == 0 ? 0 : _samples.Max(s => s.Bytes);

    public long Median => MedianOf(_samples.Select(s => s.Bytes));

    /// <summary>Least-squares slope in MiB per minute (NaN under two samples at distinct times).</summary>
    public double SlopeMiBPerMinute
    {
        get
        {
            if (_samples.Count < 2)
            {
                return double.NaN;
            }

            double meanT = _samples.Average(s => s.Seconds);
            double meanB = _samples.Average(s => (double)s.Bytes);
            double covariance = _samples.Sum(s => (s.Seconds - meanT) * (s.Bytes - meanB));
            double variance = _samples.Sum(s => (s.Seconds - meanT) * (s.Seconds - meanT));
            return variance == 0 ? double.NaN : covariance / variance * 60.0 / MiB;
        }
    }

    /// <summary>The stretch compared at each end: 5 minutes, or a third of a shorter window.</summary>
    public double StretchSeconds => _samples.Count == 0 ? 0 : Math.Min(300.0, _samples[^1].Seconds / 3.0);

    /// <summary>Median of the samples in the first <see cref="StretchSeconds"/>.</summary>
    public long FirstStretchMedian => MedianOf(_samples.Where(s => s.Seconds <= StretchSeconds).Select(s => s.Bytes));

    /// <summary>Median of the samples in the last <see cref="StretchSeconds"/>.</summary>
    public long LastStretchMedian
    {
        get
        {
            double from = _samples.Count == 0 ? 0 : _samples[^1].Seconds - StretchSeconds;
            return MedianOf(_samples.Where(s => s.Seconds >= from).Select(s => s.Bytes));
        }
    }

    private static long MedianOf(IEnumerable<long> values)
    {
        long[] sorted = [.. values.Order()];
        return sorted.Length == 0 ? 0 : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
