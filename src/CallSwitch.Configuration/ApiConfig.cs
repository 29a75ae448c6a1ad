using System.Net;

namespace CallSwitch.Configuration;

/// <summary>
/// The HTTP API the agents' CRM calls to control recordings (start, pause, resume, opposition)
/// and to see live calls. Off unless the configuration has an <c>api</c> section.
/// </summary>
public sealed record ApiConfig
{
    /// <summary>The address listened on; loopback by default (put a TLS reverse proxy in front to expose it).</summary>
    public IPAddress Address { get; init; } = IPAddress.Loopback;

    /// <summary>The TCP port (0 picks a free one).</summary>
    public int Port { get; init; } = 8089;

    /// <summary>The clients allowed to call it, each with its own bearer token.</summary>
    public IReadOnlyList<ApiClientConfig> Clients { get; init; } = [];

    /// <inheritdoc />
    public bool Equals(ApiConfig? other) =>
        other is not null && Address.Equals(other.Address) && Port == other.Port && Clients.SequenceEqual(other.Clients);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Address, Port, Clients.Count);
}

/// <summary>
/// One API client (a CRM instance): its id, which appears in every log line of its requests, and
/// the SHA-256 of its bearer token (the token itself is never stored).
/// </summary>
public sealed record ApiClientConfig
{
    /// <summary>The client's id.</summary>
    public required string Id { get; init; }

    /// <summary>SHA-256 of the token, 32 bytes.</summary>
    public required IReadOnlyList<byte> TokenSha256 { get; init; }

    /// <summary>
    /// The agents (extensions) this client acts for; empty means every agent. The authorisation
    /// service decides from it (the client's principal in the HTTP API).
    /// </summary>
    public IReadOnlyList<string> Agents { get; init; } = [];

    /// <inheritdoc />
    public bool Equals(ApiClientConfig? other) =>
        other is not null && Id == other.Id && TokenSha256.SequenceEqual(other.TokenSha256) && Agents.SequenceEqual(other.Agents);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Id, Agents.Count);
}
