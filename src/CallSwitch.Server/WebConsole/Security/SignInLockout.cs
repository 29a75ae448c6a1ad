using CallSwitch.Compliance.Access;
using CallSwitch.Configuration;

namespace CallSwitch.Server.WebConsole.Security;

/// <summary>
/// Locks a user name out of the console after <see cref="ConsoleConfig.MaxFailures"/> failed
/// sign-ins in a row, for <see cref="ConsoleConfig.LockoutMinutes"/>; a success clears the count.
/// Kept in the store (<see cref="ISignInFailureStore"/>): a restart of the console neither
/// forgets a lockout nor gives a guesser a fresh count.
/// </summary>
/// <remarks>
/// Thread-safe: each failure is counted in one write of the store's single writer. Names are
/// counted whether they exist or not, so a lockout tells nothing about which do; text that is no
/// valid user name (a password typed in the wrong field) is never stored, since no user has it.
/// A name's count is forgotten a day after its last failure (and its lockout's end).
/// </remarks>
public sealed class SignInLockout
{
    /// <summary>How long a count of failures without a lockout is kept.</summary>
    public static readonly TimeSpan Memory = TimeSpan.FromDays(1);

    private readonly ConsoleConfig _config;
    private readonly TimeProvider _time;
    private readonly ConsoleServices _services;

    /// <summary>Creates the lockout with the console's settings, over the host's store.</summary>
    public SignInLockout(ConsoleConfig config, TimeProvider time, ConsoleServices services)
    {
        _config = config;
        _time = time;
        _services = services;
    }

    private ISignInFailureStore Store => _services.Store as ISignInFailureStore
        ?? throw new InvalidOperationException("This store keeps no failed sign-ins: the console's lockout needs them.");

    /// <summary>Until when the name is locked out; null when it may try.</summary>
    public async Task<DateTimeOffset?> LockedUntilAsync(string name, CancellationToken cancellationToken = default)
    {
        if (!Tracked(name))
        {
            return null;
        }

        SignInFailures? failures = await Store.GetSignInFailuresAsync(name, cancellationToken).ConfigureAwait(false);
        return failures?.LockedUntil is { } until && until > _time.GetUtcNow() ? until : null;
    }

    /// <summary>Counts a failure; returns the lockout's end when this failure locks the name out.</summary>
    public async Task<DateTimeOffset?> FailedAsync(string name, CancellationToken cancellationToken = default)
    {
        if (!Tracked(name))
        {
            return null;
        }

        DateTimeOffset now = _time.GetUtcNow();
        DateTimeOffset? lockedNow = null;
        await Store.ChangeSignInFailuresAsync(
            name,
            now - Memory,
            before =>
            {
                // A lockout that ran out starts a fresh count.
                int failures = before is { LockedUntil: { } ended } && ended <= now ? 0 : before?.Failures ?? 0;
                DateTimeOffset? until = before?.LockedUntil is { } u && u > now ? u : null;
                failures++;
                if (failures >= _config.MaxFailures && until is null)
                {
                    until = now.AddMinutes(_config.LockoutMinutes);
                    lockedNow = until;
                }

                return new SignInFailures(name, failures, now, until);
            },
            cancellationToken).ConfigureAwait(false);
        return lockedNow;
    }

    /// <summary>A success: the name's count starts again.</summary>
    public async Task SucceededAsync(string name, CancellationToken cancellationToken = default)
    {
        // Most sign-ins follow no failure: nothing to write then.
        if (Tracked(name) && await Store.GetSignInFailuresAsync(name, cancellationToken).ConfigureAwait(false) is not null)
        {
            await Store.ChangeSignInFailuresAsync(name, _time.GetUtcNow() - Memory, _ => null, cancellationToken).ConfigureAwait(false);
        }
    }

    private static bool Tracked(string name) => UserValidation.NameProblem(name) is null;
}
