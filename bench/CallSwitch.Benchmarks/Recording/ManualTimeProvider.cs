namespace CallSwitch.Benchmarks.Recording;

/// <summary>A clock the benchmark moves by hand, so the recorder emits exactly one frame per operation.</summary>
internal sealed class ManualTimeProvider : TimeProvider
{
    private long _ticks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => _ticks;

    public void Advance(TimeSpan span) => _ticks += span.Ticks;
}
