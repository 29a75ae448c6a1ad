using System.Collections.Concurrent;
using CallSwitch.Configuration;

namespace CallSwitch.Server.WebConsole.Security;

/// <summary>
/// Locks a user name out of the console after <see cref="ConsoleConfig.MaxFailures"/> failed
/// sign-ins in a row, for <see cref="ConsoleConfig.LockoutMinutes"/>; a success clears the count.
/// Kept in memory: a restart forgets it (every sign-in attempt is in the audit log all the same).
/// </summary>
/// <remarks>Thread-safe. Names are counted whether they exist or not, so a lockout tells nothing about which do.</remarks>
public sealed class SignInLockout
{
    private const int MaxTracked = 10_000;
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly ConsoleConfig _config;
    private readonly TimeProvider _time;

    /// <summary>Creates the lockout with the console's settings.</summary>
    public SignInLockout(ConsoleConfig config, TimeProvider time)
    {
        _config = config;
        _time = time;
    }

    /// <summary>Until when the name is locked out; null when it may try.</summary>
    public DateTimeOffset? LockedUntil(string name)
    {
        if (_entries.TryGetValue(name, out Entry? entry))
        {
            lock (entry)
            {
                if (entry.LockedUntil is { } until && until > _time.GetUtcNow())
                {
                    return until;
                }
            }
        }

        return null;
    }

    /// <summary>Counts a failure; returns the lockout's end when this failure locks the name out.</summary>
    public DateTimeOffset? Failed(string name)
    {
        if (_entries.Count >= MaxTracked)
        {
            Prune();
        }

        Entry entry = _entries.GetOrAdd(name, _ => new Entry());
        lock (entry)
        {
            DateTimeOffset now = _time.GetUtcNow();
            if (entry.LockedUntil is { } until && until <= now)
            {
                // The lockout ran out: a fresh count.
                entry.LockedUntil = null;
                entry.Failures = 0;
            }

            entry.Failures++;
            if (entry.Failures >= _config.MaxFailures && entry.LockedUntil is null)
            {
                entry.LockedUntil = now.AddMinutes(_config.LockoutMinutes);
                return entry.LockedUntil;
            }

            return null;
        }
    }

    /// <summary>A success: the name's count starts again.</summary>
    public void Succeeded(string name) => _entries.TryRemove(name, out _);

    private void Prune()
    {
        DateTimeOffset now = _time.GetUtcNow();
        foreach ((string name, Entry entry) in _entries)
        {
            lock (entry)
            {
                if (entry.LockedUntil is null || entry.LockedUntil <= now)
                {
                    _entries.TryRemove(name, out _);
                }
            }
        }
    }

    private sealed class Entry
    {
        public int Failures { get; set; }

        public DateTimeOffset? LockedUntil { get; set; }
    }
}
