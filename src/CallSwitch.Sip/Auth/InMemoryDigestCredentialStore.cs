using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace CallSwitch.Sip.Auth;

/// <summary>
/// A thread-safe <see cref="IDigestCredentialStore"/> backed by a dictionary of
/// <see cref="DigestAccountHashes"/>, keyed by user name and realm (both compared ordinally,
/// as the digest itself is).
/// </summary>
public sealed class InMemoryDigestCredentialStore : IDigestCredentialStore
{
    private readonly ConcurrentDictionary<(string Username, string Realm), DigestAccountHashes> _accounts = new();

    /// <summary>Adds or replaces an account.</summary>
    public void Set(DigestAccountHashes account)
    {
        ArgumentNullException.ThrowIfNull(account);
        _accounts[(account.Username, account.Realm)] = account;
    }

    /// <summary>Adds or replaces an account from a clear-text password (only the HA1 values are kept).</summary>
    public void SetPassword(string username, string realm, string password) =>
        Set(DigestAccountHashes.FromPassword(username, realm, password));

    /// <summary>Removes an account; returns whether it existed.</summary>
    public bool Remove(string username, string realm) => _accounts.TryRemove((username, realm), out _);

    /// <inheritdoc />
    public bool TryGetHa1(string username, string realm, DigestAlgorithm algorithm, [NotNullWhen(true)] out string? ha1)
    {
        if (_accounts.TryGetValue((username, realm), out var account))
        {
            ha1 = account.GetHa1(algorithm);
            return true;
        }

        ha1 = null;
        return false;
    }
}
