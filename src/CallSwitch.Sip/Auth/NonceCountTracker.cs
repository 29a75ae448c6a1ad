namespace CallSwitch.Sip.Auth;

/// <summary>
/// Remembers, per nonce, the highest nonce-count accepted so far, so that a request replaying an
/// earlier nc is refused (RFC 7616 §3.4 and §5.11: "if the same nc-value is seen twice, the
/// request is a replay"). Only nonces that authenticated successfully are recorded, so an
/// unauthenticated flood cannot grow this table.
/// </summary>
/// <remarks>
/// Memory is bounded twice: entries are dropped once their nonce has expired (an expired nonce is
/// refused anyway), and when <c>capacity</c> is still exceeded the oldest-issued tenth is evicted
/// and a watermark remembers their issue time. An untracked nonce issued at or before the
/// watermark might have been evicted, so it is reported <see cref="NonceCountCheck.Forgotten"/>
/// and the caller answers stale: the client simply retries with a fresh nonce.
/// </remarks>
internal sealed class NonceCountTracker
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly int _capacity;
    private readonly long _lifetimeMilliseconds;
    private readonly Lock _lock = new();
    private long _watermarkMilliseconds = long.MinValue;
    private long _lastPurgeMilliseconds = long.MinValue / 2; // halved so that "now - last" cannot overflow

    public NonceCountTracker(int capacity, long lifetimeMilliseconds)
    {
        _capacity = capacity;
        _lifetimeMilliseconds = lifetimeMilliseconds;
    }

    /// <summary>Number of nonces currently tracked (for tests and metrics).</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    public NonceCountCheck TryAccept(string nonce, long issuedAtMilliseconds, uint nonceCount, long nowMilliseconds)
    {
        lock (_lock)
        {
            if (nowMilliseconds - _lastPurgeMilliseconds >= _lifetimeMilliseconds)
            {
                PurgeExpired(nowMilliseconds);
                _lastPurgeMilliseconds = nowMilliseconds;
            }

            if (_entries.TryGetValue(nonce, out var entry))
            {
                if (nonceCount <= entry.LastCount)
                {
                    return NonceCountCheck.Replayed;
                }

                _entries[nonce] = entry with { LastCount = nonceCount };
                return NonceCountCheck.Accepted;
            }

            if (issuedAtMilliseconds <= _watermarkMilliseconds)
            {
                return NonceCountCheck.Forgotten;
            }

            if (_entries.Count >= _capacity)
            {
                PurgeExpired(nowMilliseconds);
                if (_entries.Count >= _capacity)
                {
                    EvictOldest();
                    if (issuedAtMilliseconds <= _watermarkMilliseconds)
                    {
                        return NonceCountCheck.Forgotten;
                    }
                }
            }

            _entries.Add(nonce, new Entry(nonceCount, issuedAtMilliseconds));
            return NonceCountCheck.Accepted;
        }
    }

    private void PurgeExpired(long nowMilliseconds)
    {
        List<string>? expired = null;
        foreach (var (nonce, entry) in _entries)
        {
            if (nowMilliseconds - entry.IssuedAtMilliseconds >= _lifetimeMilliseconds)
            {
                (expired ??= []).Add(nonce);
            }
        }

        if (expired is not null)
        {
            foreach (var nonce in expired)
            {
                _entries.Remove(nonce);
            }
        }
    }

    private void EvictOldest()
    {
        // Rare path (only when more than `capacity` nonces are live at once): sorting is fine.
        var byAge = _entries.OrderBy(pair => pair.Value.IssuedAtMilliseconds).ToList();
        var evictCount = Math.Max(1, byAge.Count / 10);
        for (var i = 0; i < evictCount; i++)
        {
            _entries.Remove(byAge[i].Key);
            _watermarkMilliseconds = Math.Max(_watermarkMilliseconds, byAge[i].Value.IssuedAtMilliseconds);
        }
    }

    private readonly record struct Entry(uint LastCount, long IssuedAtMilliseconds);
}
