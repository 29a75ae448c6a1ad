using System.Globalization;

namespace CallSwitch.LoadHarness.Memory;

/// <summary>
/// The switch's collections and pauses between two reads of its metrics (the window's start and
/// end): collections per generation, total pause time (the runtime's own total), the pauses the
/// switch timed one by one (its histogram), and the longest of them.
/// </summary>
internal sealed record GcWindow
{
    public required long Gen0 { get; init; }

    public required long Gen1 { get; init; }

    public required long Gen2 { get; init; }

    public required double PauseMs { get; init; }

    /// <summary>Pauses timed one by one in the window (the histogram's count).</summary>
    public required long Pauses { get; init; }

    /// <summary>The longest pause in the window, in ms; exact when <see cref="LongestExact"/>, otherwise the smallest histogram bucket bound holding every pause of the window.</summary>
    public required double LongestMs { get; init; }

    public required bool LongestExact { get; init; }

    public required double WindowSeconds { get; init; }

    /// <summary>Managed heap after the last collection, at the window's start and end.</summary>
    public required long HeapStartBytes { get; init; }

    public required long HeapEndBytes { get; init; }

    public required long CommittedEndBytes { get; init; }

    /// <summary>Bytes allocated on the managed heap in the window.</summary>
    public required long AllocatedBytes { get; init; }

    public double PausePercent => WindowSeconds <= 0 ? double.NaN : 100.0 * PauseMs / 1000.0 / WindowSeconds;

    public long Collections => Gen0 + Gen1 + Gen2;

    /// <summary>
    /// The longest pause in ms as text: "3.20" when exact, "≤ 5.00" when only its bucket is known,
    /// "none" without a collection, "not timed" when collections were counted but their pauses'
    /// events had not reached the switch's listener by the end read.
    /// </summary>
    public string LongestText => Pauses > 0 ? (LongestExact ? string.Empty : "≤ ") + LongestMs.ToString("F2", CultureInfo.InvariantCulture) : Collections == 0 ? "none" : "not timed";

    public static GcWindow Between(MetricsScrape start, MetricsScrape end, double windowSeconds)
    {
        long Delta(string key) => (long)Math.Round(end[key] - start[key]);
        const string Collections = "callswitch_gc_collections{generation=\"";
        const string Histogram = "callswitch_gc_pause_duration";
        const string Longest = "callswitch_gc_pause_longest";

        // The longest since start rose in the window: that pause was in the window, and is its
        // longest. Otherwise the window's longest is no longer than the smallest bucket bound that holds all its pauses.
        long pauses = Delta(Histogram + "_count") is var n && n > 0 ? n : 0;
        bool exact = end[Longest] > start[Longest];
        double longest = exact ? end[Longest] : LongestBound(start, end, Histogram + "_bucket");
        if (pauses == 0)
        {
            (longest, exact) = (0, true);
        }

        return new GcWindow
        {
            Gen0 = Delta(Collections + "0\"}"),
            Gen1 = Delta(Collections + "1\"}"),
            Gen2 = Delta(Collections + "2\"}"),
            PauseMs = (end["callswitch_gc_pause_time"] - start["callswitch_gc_pause_time"]) * 1000.0,
            Pauses = pauses,
            LongestMs = longest * 1000.0,
            LongestExact = exact,
            WindowSeconds = windowSeconds,
            HeapStartBytes = (long)start["callswitch_gc_heap_size"],
            HeapEndBytes = (long)end["callswitch_gc_heap_size"],
            CommittedEndBytes = (long)end["callswitch_gc_heap_committed"],
            AllocatedBytes = Delta("callswitch_gc_allocated"),
        };
    }

    /// <summary>The lowest bucket bound whose cumulative count grew by the whole window's count (every pause at or under it).</summary>
    private static double LongestBound(MetricsScrape start, MetricsScrape end, string bucket)
    {
        var before = start.Series(bucket).ToDictionary(b => b.Labels, b => b.Value, StringComparer.Ordinal);
        var grown = end.Series(bucket)
            .Select(b => (Bound: Bound(b.Labels), Grown: b.Value - before.GetValueOrDefault(b.Labels)))
            .OrderBy(b => b.Bound)
            .ToList();
        double all = grown.Count == 0 ? 0 : grown[^1].Grown;
        return grown.FirstOrDefault(b => b.Grown >= all).Bound;
    }

    private static double Bound(string labels)
    {
        // le="0.005" or le="+Inf"
        string value = labels[(labels.IndexOf('"', StringComparison.Ordinal) + 1)..labels.LastIndexOf('"')];
        return value == "+Inf" ? double.PositiveInfinity : double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture);
    }
}
