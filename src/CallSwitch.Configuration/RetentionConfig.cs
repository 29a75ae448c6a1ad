namespace CallSwitch.Configuration;

/// <summary>The 'retention' section: how the retention sidecar (callswitch-retention) runs.</summary>
public sealed record RetentionConfig
{
    /// <summary>The default time between two purge runs.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMinutes(15);

    /// <summary>The time between two purge runs (<c>retention.interval</c>: <c>15m</c>, <c>1h</c>, <c>90s</c>).</summary>
    public TimeSpan Interval { get; init; } = DefaultInterval;

    /// <summary>The default days an access bundle is kept after it was written.</summary>
    public const int DefaultAccessBundleDays = 30;

    /// <summary>
    /// Days an access bundle (a data-subject request's answer: the person's recordings in clear,
    /// in <c>{data}/bundles</c>) is kept after it was written, for the DPO to send it
    /// (<c>retention.access_bundle_days</c>, 1–90); the sidecar then deletes it. Art. 12(3) gives a
    /// month to answer; a copy kept beyond its sending is personal data without a purpose.
    /// </summary>
    public int AccessBundleDays { get; init; } = DefaultAccessBundleDays;
}
