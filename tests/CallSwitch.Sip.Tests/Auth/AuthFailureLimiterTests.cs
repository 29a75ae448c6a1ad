using System.Net;
using CallSwitch.Sip.Auth;
using Microsoft.Extensions.Time.Testing;

namespace CallSwitch.Sip.Tests.Auth;

public sealed class AuthFailureLimiterTests
{
    private readonly FakeTimeProvider _time = DigestTestAccounts.CreateTime();

    private AuthFailureLimiter Create(int maxFailures = 3, int maxSources = 1000, double growth = 2) =>
        new(
            new AuthFailureLimiterOptions
            {
                MaxFailures = maxFailures,
                Window = TimeSpan.FromSeconds(60),
                BlockDuration = TimeSpan.FromMinutes(5),
                BlockGrowthFactor = growth,
                MaxBlockDuration = TimeSpan.FromMinutes(20),
                HistoryRetention = TimeSpan.FromHours(1),
                MaxTrackedSources = maxSources,
            },
            _time);

    [Fact]
    public void Blocks_after_max_failures_in_window_and_reports_it_once()
    {
        var limiter = Create();

        Assert.False(limiter.RecordFailure("10.0.0.1").IsBlocked);
        Assert.Equal(2, limiter.RecordFailure("10.0.0.1").FailuresInWindow);
        var third = limiter.RecordFailure("10.0.0.1");

        Assert.True(third.BecameBlocked);
        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromMinutes(5), third.BlockedUntil);
        Assert.True(limiter.IsBlocked("10.0.0.1"));
        Assert.False(limiter.IsBlocked("10.0.0.2"));

        var duringBlock = limiter.RecordFailure("10.0.0.1");
        Assert.True(duringBlock.IsBlocked);
        Assert.False(duringBlock.BecameBlocked);
        Assert.Equal(third.BlockedUntil, duringBlock.BlockedUntil);
    }

    [Fact]
    public void Failures_outside_the_sliding_window_do_not_count()
    {
        var limiter = Create();

        limiter.RecordFailure("10.0.0.1");
        limiter.RecordFailure("10.0.0.1");
        _time.Advance(TimeSpan.FromSeconds(61));
        var outcome = limiter.RecordFailure("10.0.0.1");

        Assert.False(outcome.IsBlocked);
        Assert.Equal(1, outcome.FailuresInWindow);
    }

    [Fact]
    public void Block_always_expires()
    {
        var limiter = Create();
        for (var i = 0; i < 3; i++)
        {
            limiter.RecordFailure("10.0.0.1");
        }

        _time.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
        Assert.True(limiter.IsBlocked("10.0.0.1", out var until));
        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromSeconds(1), until);

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(limiter.IsBlocked("10.0.0.1"));
    }

    [Fact]
    public void Repeated_blocks_grow_but_stay_capped()
    {
        var limiter = Create();
        var durations = new List<TimeSpan>();
        for (var block = 0; block < 5; block++)
        {
            AuthFailureOutcome outcome = default;
            for (var i = 0; i < 3; i++)
            {
                outcome = limiter.RecordFailure("10.0.0.1");
            }

            Assert.True(outcome.BecameBlocked);
            durations.Add(outcome.BlockedUntil!.Value - _time.GetUtcNow());
            _time.Advance(durations[^1]);
            Assert.False(limiter.IsBlocked("10.0.0.1"));
        }

        Assert.Equal(
            [TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(20), TimeSpan.FromMinutes(20), TimeSpan.FromMinutes(20)],
            durations);
    }

    [Fact]
    public void Escalation_is_forgotten_after_a_quiet_period()
    {
        var limiter = Create();
        for (var i = 0; i < 3; i++)
        {
            limiter.RecordFailure("10.0.0.1");
        }

        _time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromHours(1));
        AuthFailureOutcome outcome = default;
        for (var i = 0; i < 3; i++)
        {
            outcome = limiter.RecordFailure("10.0.0.1");
        }

        Assert.Equal(1, outcome.BlockCount);
        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromMinutes(5), outcome.BlockedUntil);
    }

    [Fact]
    public void Ip_addresses_are_keyed_with_ipv4_mapping_and_ipv6_prefix()
    {
        var limiter = Create(maxFailures: 2);

        limiter.RecordFailure(IPAddress.Parse("2001:db8:1:2::10"));
        var second = limiter.RecordFailure(IPAddress.Parse("2001:db8:1:2:ffff::99"));

        Assert.True(second.BecameBlocked);
        Assert.True(limiter.IsBlocked(IPAddress.Parse("2001:db8:1:2::1")));
        Assert.False(limiter.IsBlocked(IPAddress.Parse("2001:db8:1:3::1")));
        Assert.Equal("2001:db8:1:2::/64", AuthFailureLimiter.GetSourceKey(IPAddress.Parse("2001:db8:1:2:3:4:5:6")));
        Assert.Equal("192.0.2.7", AuthFailureLimiter.GetSourceKey(IPAddress.Parse("::ffff:192.0.2.7")));

        limiter.RecordFailure(IPAddress.Parse("192.0.2.7"));
        Assert.True(limiter.RecordFailure(IPAddress.Parse("::ffff:192.0.2.7")).BecameBlocked);
        Assert.True(limiter.IsBlocked("192.0.2.7"));
    }

    [Fact]
    public void Tracked_sources_are_bounded_and_blocked_sources_survive_a_flood()
    {
        var limiter = Create(maxFailures: 2, maxSources: 100);
        limiter.RecordFailure("attacker");
        limiter.RecordFailure("attacker");

        for (var i = 0; i < 5000; i++)
        {
            limiter.RecordFailure($"10.1.{i / 256}.{i % 256}");
        }

        Assert.True(limiter.TrackedSourceCount <= 100);
        Assert.True(limiter.IsBlocked("attacker"));
    }

    [Fact]
    public void Idle_sources_are_forgotten()
    {
        var limiter = Create();
        for (var i = 0; i < 50; i++)
        {
            limiter.RecordFailure($"10.0.0.{i}");
        }

        _time.Advance(TimeSpan.FromMinutes(2));
        limiter.RecordFailure("10.9.9.9");

        Assert.Equal(1, limiter.TrackedSourceCount);
    }

    [Fact]
    public void Invalid_options_are_rejected()
    {
        Assert.ThrowsAny<ArgumentException>(() => new AuthFailureLimiter(new AuthFailureLimiterOptions { MaxFailures = 0 }, _time));
        Assert.ThrowsAny<ArgumentException>(() => new AuthFailureLimiter(
            new AuthFailureLimiterOptions { MaxBlockDuration = TimeSpan.FromSeconds(1) }, _time));
        Assert.ThrowsAny<ArgumentException>(() => new AuthFailureLimiter(
            new AuthFailureLimiterOptions { BlockGrowthFactor = double.NaN }, _time));
    }
}
