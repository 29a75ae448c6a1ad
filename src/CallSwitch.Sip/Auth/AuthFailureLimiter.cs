using System.Net;
using System.Net.Sockets;

namespace CallSwitch.Sip.Auth;

/// <summary>
/// Brute-force protection for Digest authentication: counts failures per source in a sliding
/// window and blocks a source that fails too often. While blocked, the caller refuses the
/// source's requests without checking credentials (no password guessing, no hashing cost).
/// </summary>
/// <remarks>
/// Policy: only <see cref="DigestVerificationStatus.Failed"/> (and, at the caller's discretion,
/// Malformed) outcomes are failures; a challenge round trip or a stale nonce is not. Successes do
/// not reset anything: otherwise an attacker owning one account could interleave good logins to
/// keep guessing others from the same address, and a block is never lifted early. Every block
/// ends after a bounded time (<see cref="AuthFailureLimiterOptions.MaxBlockDuration"/>) so the
/// right password is never locked out for ever. Memory is bounded by
/// <see cref="AuthFailureLimiterOptions.MaxTrackedSources"/>. Thread-safe.
/// </remarks>
public sealed class AuthFailureLimiter
{
    private readonly AuthFailureLimiterOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly Dictionary<string, SourceState> _sources = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private DateTimeOffset _lastSweep = DateTimeOffset.MinValue;

    /// <summary>Creates a limiter.</summary>
    /// <exception cref="ArgumentException">Invalid options.</exception>
    public AuthFailureLimiter(AuthFailureLimiterOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        options.Validate();
        _options = options;
        _timeProvider = timeProvider;
    }

    /// <summary>Number of sources currently remembered.</summary>
    public int TrackedSourceCount
    {
        get
        {
            lock (_lock)
            {
                return _sources.Count;
            }
        }
    }

    /// <summary>
    /// The key used for an address: IPv4 (including IPv4-mapped IPv6) as the plain address,
    /// IPv6 as its /<paramref name="ipv6PrefixLength"/> network, e.g. <c>2001:db8:1:2::/64</c>.
    /// </summary>
    public static string GetSourceKey(IPAddress address, int ipv6PrefixLength = 64)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6 || ipv6PrefixLength >= 128)
        {
            return address.ToString();
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        for (var bit = Math.Max(0, ipv6PrefixLength); bit < 128; bit++)
        {
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        }

        return $"{new IPAddress(bytes)}/{ipv6PrefixLength}";
    }

    /// <summary>Whether <paramref name="address"/> is blocked now.</summary>
    public bool IsBlocked(IPAddress address) => IsBlocked(GetSourceKey(address, _options.Ipv6PrefixLength), out _);

    /// <summary>Whether <paramref name="source"/> is blocked now.</summary>
    public bool IsBlocked(string source) => IsBlocked(source, out _);

    /// <summary>Whether <paramref name="source"/> is blocked now, and until when.</summary>
    public bool IsBlocked(string source, out DateTimeOffset blockedUntil)
    {
        ArgumentNullException.ThrowIfNull(source);
        var now = _timeProvider.GetUtcNow();
        lock (_lock)
        {
            if (_sources.TryGetValue(source, out var state) && state.BlockedUntil > now)
            {
                blockedUntil = state.BlockedUntil;
                return true;
            }
        }

        blockedUntil = default;
        return false;
    }

    /// <summary>Records a failed authentication from <paramref name="address"/>.</summary>
    public AuthFailureOutcome RecordFailure(IPAddress address) =>
        RecordFailure(GetSourceKey(address, _options.Ipv6PrefixLength));

    /// <summary>
    /// Records a failed authentication from <paramref name="source"/>. Failures reported while the
    /// source is blocked are ignored (they neither extend nor escalate the block).
    /// </summary>
    public AuthFailureOutcome RecordFailure(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var now = _timeProvider.GetUtcNow();
        lock (_lock)
        {
            SweepIfDue(now);
            if (!_sources.TryGetValue(source, out var state))
            {
                MakeRoom(now);
                state = new SourceState(_options.MaxFailures);
                _sources.Add(source, state);
            }

            state.LastActivity = now;
            if (state.BlockedUntil > now)
            {
                return new AuthFailureOutcome(true, false, 0, state.BlockedUntil, state.BlockCount);
            }

            if (state.BlockCount > 0 && now - state.BlockedUntil >= _options.HistoryRetention)
            {
                state.BlockCount = 0;
            }

            var windowStart = now - _options.Window;
            while (state.Failures.Count > 0 && state.Failures.Peek() <= windowStart)
            {
                state.Failures.Dequeue();
            }

            state.Failures.Enqueue(now);
            if (state.Failures.Count < _options.MaxFailures)
            {
                return new AuthFailureOutcome(false, false, state.Failures.Count, null, state.BlockCount);
            }

            state.Failures.Clear();
            state.BlockCount++;
            state.BlockedUntil = now + GetBlockDuration(state.BlockCount);
            return new AuthFailureOutcome(true, true, 0, state.BlockedUntil, state.BlockCount);
        }
    }

    private TimeSpan GetBlockDuration(int blockCount)
    {
        var factor = Math.Pow(_options.BlockGrowthFactor, blockCount - 1);
        var ticks = _options.BlockDuration.Ticks * factor;
        return ticks >= _options.MaxBlockDuration.Ticks || double.IsNaN(ticks)
            ? _options.MaxBlockDuration
            : TimeSpan.FromTicks((long)ticks);
    }

    private bool IsForgettable(SourceState state, DateTimeOffset now) =>
        state.BlockedUntil <= now
        && now - state.LastActivity >= _options.Window
        && (state.BlockCount == 0 || now - state.BlockedUntil >= _options.HistoryRetention);

    private void SweepIfDue(DateTimeOffset now)
    {
        if (now - _lastSweep < _options.Window)
        {
            return;
        }

        _lastSweep = now;
        Sweep(now);
    }

    private void Sweep(DateTimeOffset now)
    {
        List<string>? forgettable = null;
        foreach (var (source, state) in _sources)
        {
            if (IsForgettable(state, now))
            {
                (forgettable ??= []).Add(source);
            }
        }

        forgettable?.ForEach(source => _sources.Remove(source));
    }

    private void MakeRoom(DateTimeOffset now)
    {
        if (_sources.Count < _options.MaxTrackedSources)
        {
            return;
        }

        Sweep(now);
        if (_sources.Count < _options.MaxTrackedSources)
        {
            return;
        }

        // Still full (a flood from many addresses): drop a tenth, unblocked and least recently
        // active first, so that current blocks survive as long as possible.
        var victims = _sources
            .OrderBy(pair => pair.Value.BlockedUntil > now)
            .ThenBy(pair => pair.Value.LastActivity)
            .Take(Math.Max(1, _sources.Count / 10))
            .Select(pair => pair.Key)
            .ToList();
        victims.ForEach(source => _sources.Remove(source));
    }

    private sealed class SourceState(int capacity)
    {
        public Queue<DateTimeOffset> Failures { get; } = new(Math.Min(capacity, 64));

        public DateTimeOffset LastActivity { get; set; }

        public DateTimeOffset BlockedUntil { get; set; } = DateTimeOffset.MinValue;

        public int BlockCount { get; set; }
    }
}
