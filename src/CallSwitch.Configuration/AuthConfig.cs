namespace CallSwitch.Configuration;

/// <summary>Digest authentication and brute-force protection settings.</summary>
public sealed record AuthConfig
{
    /// <inheritdoc />
    public bool Equals(AuthConfig? other) =>
        other is not null && Algorithms.SequenceEqual(other.Algorithms) && Md5OnlyUserAgents.SequenceEqual(other.Md5OnlyUserAgents, StringComparer.OrdinalIgnoreCase)
        && NonceLifetimeSeconds == other.NonceLifetimeSeconds && MaxFailures == other.MaxFailures
        && FailureWindowSeconds == other.FailureWindowSeconds && BlockSeconds == other.BlockSeconds;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Algorithms.Count, Md5OnlyUserAgents.Count, NonceLifetimeSeconds, MaxFailures, FailureWindowSeconds, BlockSeconds);

    /// <summary>
    /// The digest algorithms challenged with, one WWW-/Proxy-Authenticate header each, in this
    /// order. RFC 8760 §2.4 says most preferred first, and a phone should answer the first it
    /// supports; but some peers (SIPp 3.6, older PJSIP) take the first challenge whatever it
    /// is, so MD5 comes first by default. Put sha-256 first where every phone supports it.
    /// </summary>
    public IReadOnlyList<ChallengeAlgorithm> Algorithms { get; init; } = [ChallengeAlgorithm.Md5, ChallengeAlgorithm.Sha256];

    /// <summary>
    /// User-Agent prefixes (case-insensitive) of phones challenged with MD5 alone when MD5 is
    /// in <see cref="Algorithms"/>: they give up on the whole challenge as soon as one names
    /// another algorithm (baresip's libre does). Nothing is weakened: they would pick MD5 anyway.
    /// </summary>
    public IReadOnlyList<string> Md5OnlyUserAgents { get; init; } = ["baresip"];

    /// <summary>How long a nonce stays valid, in seconds.</summary>
    public int NonceLifetimeSeconds { get; init; } = 300;

    /// <summary>Failed authentications from one source within the window that block it.</summary>
    public int MaxFailures { get; init; } = 10;

    /// <summary>The window over which failures are counted, in seconds.</summary>
    public int FailureWindowSeconds { get; init; } = 60;

    /// <summary>How long a source stays blocked, in seconds.</summary>
    public int BlockSeconds { get; init; } = 300;
}
