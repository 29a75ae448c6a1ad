namespace CallSwitch.Compliance.Rules;

/// <summary>
/// Applies a campaign's rule to one call: always and never are fixed, on-demand waits to be
/// asked, sample draws a number in [0, 100) per call and records when it is below the percentage.
/// </summary>
/// <remarks>Thread-safe: calls are decided concurrently, the draw is serialised.</remarks>
public sealed class RecordingPolicy : IRecordingPolicy
{
    private readonly Random _random;
    private readonly Lock _lock = new();

    /// <summary>Creates a policy drawing from <paramref name="random"/> (a seeded one in tests); a fresh one by default.</summary>
    public RecordingPolicy(Random? random = null)
    {
        _random = random ?? new Random();
    }

    /// <summary>Decides for one call.</summary>
    public RecordingDecision Decide(RecordingRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        switch (rule.Mode)
        {
            case RecordingMode.Always:
                return new RecordingDecision(RecordingStart.AtAnswer, "every call is recorded");
            case RecordingMode.OnDemand:
                return new RecordingDecision(RecordingStart.OnDemand, "recorded when asked");
            case RecordingMode.Sample:
                int draw;
                lock (_lock)
                {
                    draw = _random.Next(100);
                }

                int percent = rule.SamplePercent ?? 0;
                return draw < percent
                    ? new RecordingDecision(RecordingStart.AtAnswer, $"sampled in: {draw} < {percent}")
                    : new RecordingDecision(RecordingStart.Never, $"sampled out: {draw} >= {percent}");
            default:
                return new RecordingDecision(RecordingStart.Never, "the campaign records no call");
        }
    }
}
