namespace CallSwitch.Compliance.Configuration;

/// <summary>Digest authentication and brute-force protection settings.</summary>
public sealed record AuthConfig
{
    /// <summary>
    /// The digest algorithms challenged with, one WWW-/Proxy-Authenticate header each, in this
    /// order. RFC 8760 §2.4 says most preferred first, and a phone should answer the first it
    /// supports; but some peers (SIPp 3.6, older PJSIP) take the first challenge whatever it
    /// is, so MD5 comes first by default. Put sha-256 first where every phone supports it.
    /// </summary>
    public IReadOnlyList<ChallengeAlgorithm> Algorithms { get; init; } = [ChallengeAlgorithm.Md5, ChallengeAlgorithm.Sha256];

    /// <summary>How long a nonce stays valid, in seconds.</summary>
    public int NonceLifetimeSeconds { get; init; } = 300;

    /// <summary>Failed authentications from one source within the window that block it.</summary>
    public int MaxFailures { get; init; } = 10;

    /// <summary>The window over which failures are counted, in seconds.</summary>
    public int FailureWindowSeconds { get; init; } = 60;

    /// <summary>How long a source stays blocked, in seconds.</summary>
    public int BlockSeconds { get; init; } = 300;
}
