namespace CallSwitch.Sip.Auth;

/// <summary>Result of verifying Digest credentials.</summary>
/// <param name="Status">What happened.</param>
/// <param name="AuthenticatedUsername">The user name, set only when <paramref name="Status"/> is <see cref="DigestVerificationStatus.Ok"/>.</param>
/// <param name="ClaimedUsername">The user name the peer claimed, unverified (for logs), when it could be parsed.</param>
/// <param name="Reason">Why it was not Ok, for logs only: never send it to the peer.</param>
public readonly record struct DigestVerificationResult(
    DigestVerificationStatus Status,
    string? AuthenticatedUsername,
    string? ClaimedUsername,
    string? Reason)
{
    /// <summary>Reason shared by an unknown user and a wrong password so logs and callers cannot tell them apart.</summary>
    public const string BadCredentialsReason = "bad credentials";

    /// <summary>True when authenticated.</summary>
    public bool IsOk => Status == DigestVerificationStatus.Ok;

    internal static DigestVerificationResult Ok(string username) => new(DigestVerificationStatus.Ok, username, username, null);

    internal static DigestVerificationResult Stale(string username, string reason) => new(DigestVerificationStatus.Stale, null, username, reason);

    internal static DigestVerificationResult Failed(string? username, string reason) => new(DigestVerificationStatus.Failed, null, username, reason);

    internal static DigestVerificationResult Malformed(string? username, string reason) => new(DigestVerificationStatus.Malformed, null, username, reason);
}
