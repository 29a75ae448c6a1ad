using System.Net;

namespace CallSwitch.Configuration;

/// <summary>
/// The web console (the 'console' section): where it listens, how long a session lasts and how
/// sign-in failures lock a name out. Off unless the configuration has the section. It listens on
/// loopback by default: expose it through a TLS reverse proxy (the proxy's https is what makes
/// its cookie Secure), never directly.
/// </summary>
public sealed record ConsoleConfig
{
    /// <summary>The address listened on; loopback by default.</summary>
    public IPAddress Address { get; init; } = IPAddress.Loopback;

    /// <summary>The TCP port (0 picks a free one).</summary>
    public int Port { get; init; } = 8090;

    /// <summary>A session ends after this long without a request (sliding).</summary>
    public int SessionMinutes { get; init; } = 30;

    /// <summary>Failed sign-ins in a row that lock a user name out.</summary>
    public int MaxFailures { get; init; } = 5;

    /// <summary>How long a locked-out name stays locked.</summary>
    public int LockoutMinutes { get; init; } = 15;

    /// <summary>
    /// The addresses of reverse proxies whose X-Forwarded-For and X-Forwarded-Proto headers are
    /// believed (so that the session cookie is Secure behind TLS and the audit names the client).
    /// </summary>
    public IReadOnlyList<IPAddress> TrustedProxies { get; init; } = [];

    /// <inheritdoc />
    public bool Equals(ConsoleConfig? other) =>
        other is not null && Address.Equals(other.Address) && Port == other.Port && SessionMinutes == other.SessionMinutes
        && MaxFailures == other.MaxFailures && LockoutMinutes == other.LockoutMinutes && TrustedProxies.SequenceEqual(other.TrustedProxies);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Address, Port, SessionMinutes, MaxFailures, LockoutMinutes, TrustedProxies.Count);
}
