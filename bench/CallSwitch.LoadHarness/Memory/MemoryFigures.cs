namespace CallSwitch.LoadHarness.Memory;

/// <summary>
/// The switch's memory over a run: resident set (VmRSS) with no call, through the window, and
/// once the calls ended; and its collector's work in the window.
/// </summary>
internal sealed record MemoryFigures
{
    /// <summary>RSS after start-up and the idle measurement, before the first INVITE.</summary>
    public required long IdleRssBytes { get; init; }

    public required RssSeries Window { get; init; }

    /// <summary>RSS once every call ended and the switch idled a few seconds.</summary>
    public long EndRssBytes { get; init; }

    public required int Calls { get; init; }

    public required double SampleSeconds { get; init; }

    /// <summary>The collector in the window (null when the metrics could not be read: the reason is in <see cref="GcProblem"/>).</summary>
    public GcWindow? Gc { get; init; }

    public string? GcProblem { get; init; }

    /// <summary>(median RSS in the window − idle RSS) / calls: what one concurrent call holds, fixed costs of the first call (JIT, pools) included.</summary>
    public double BytesPerCall => Calls == 0 || Window.Count == 0 ? double.NaN : (double)(Window.Median - IdleRssBytes) / Calls;
}
