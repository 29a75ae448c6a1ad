namespace CallSwitch.Sip.Auth;

/// <summary>Settings of an <see cref="AuthFailureLimiter"/>.</summary>
public sealed class AuthFailureLimiterOptions
{
    /// <summary>Failures within <see cref="Window"/> that block a source. Default 10.</summary>
    public int MaxFailures { get; init; } = 10;

    /// <summary>Sliding window over which failures are counted. Default 60 s.</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Length of a source's first block. Default 5 minutes.</summary>
    public TimeSpan BlockDuration { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Each further block of the same source (while its history is retained) lasts this many
    /// times longer than the previous one. Default 2; 1 disables escalation.
    /// </summary>
    public double BlockGrowthFactor { get; init; } = 2;

    /// <summary>Cap on an escalated block, so that the right password is never locked out for good. Default 1 hour.</summary>
    public TimeSpan MaxBlockDuration { get; init; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How long after its last block ended a source's escalation level is remembered; after a
    /// quiet period this long the next block starts again at <see cref="BlockDuration"/>. Default 1 hour.
    /// </summary>
    public TimeSpan HistoryRetention { get; init; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Most sources tracked at once (memory bound against floods from many addresses). When full,
    /// the least recently active unblocked sources are forgotten first. Default 65 536.
    /// </summary>
    public int MaxTrackedSources { get; init; } = 65_536;

    /// <summary>
    /// IPv6 sources are grouped by this prefix length when given as <see cref="System.Net.IPAddress"/>:
    /// one host usually owns a whole /64, so per-address counting would be trivial to evade. Default 64.
    /// </summary>
    public int Ipv6PrefixLength { get; init; } = 64;

    internal void Validate()
    {
        if (MaxFailures < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxFailures), MaxFailures, "Must be positive.");
        }

        if (Window <= TimeSpan.Zero || BlockDuration <= TimeSpan.Zero || HistoryRetention < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(Window), "Window and BlockDuration must be positive, HistoryRetention not negative.");
        }

        if (MaxBlockDuration < BlockDuration)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxBlockDuration), MaxBlockDuration, "Must be at least BlockDuration.");
        }

        if (!(BlockGrowthFactor >= 1) || double.IsInfinity(BlockGrowthFactor))
        {
            throw new ArgumentOutOfRangeException(nameof(BlockGrowthFactor), BlockGrowthFactor, "Must be a finite number >= 1.");
        }

        if (MaxTrackedSources < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxTrackedSources), MaxTrackedSources, "Must be positive.");
        }

        if (Ipv6PrefixLength is < 1 or > 128)
        {
            throw new ArgumentOutOfRangeException(nameof(Ipv6PrefixLength), Ipv6PrefixLength, "Must be 1..128.");
        }
    }
}
