namespace CallSwitch.Configuration;

/// <summary>The 'retention' section: how the retention sidecar (callswitch-retention) runs.</summary>
public sealed record RetentionConfig
{
    /// <summary>The default time between two purge runs.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMinutes(15);

    /// <summary>The time between two purge runs (<c>retention.interval</c>: <c>15m</c>, <c>1h</c>, <c>90s</c>).</summary>
    public TimeSpan Interval { get; init; } = DefaultInterval;
}
