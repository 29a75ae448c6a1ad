namespace CallSwitch.Compliance.Access;

/// <summary>
/// Failed sign-ins per user name, kept in the store so that a lockout survives a restart of the
/// console. The rule (how many failures lock for how long) is the caller's; the store makes each
/// change atomic.
/// </summary>
/// <remarks>Thread-safe. Changes go through the store's single writer, one at a time.</remarks>
public interface ISignInFailureStore
{
    /// <summary>The name's failures; null when it has none.</summary>
    Task<SignInFailures?> GetSignInFailuresAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces the name's failures with what <paramref name="change"/> makes of them (null: none
    /// yet; returning null forgets them), in one write no other change interleaves with; also
    /// forgets every other name whose last failure, and lockout if any, ended before
    /// <paramref name="forgetBefore"/> (the table cannot grow without bound). Returns what was stored.
    /// </summary>
    /// <remarks><paramref name="change"/> runs on the store's writer thread: it must be quick and pure.</remarks>
    Task<SignInFailures?> ChangeSignInFailuresAsync(string name, DateTimeOffset forgetBefore, Func<SignInFailures?, SignInFailures?> change, CancellationToken cancellationToken = default);
}
