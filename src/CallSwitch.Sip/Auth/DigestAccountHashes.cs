namespace CallSwitch.Sip.Auth;

/// <summary>
/// What an account store keeps instead of a password: the HA1 of one user in one realm for each
/// algorithm we may challenge with (RFC 7616 §3.4.2). Both are needed because the algorithm is
/// chosen per challenge: a SHA-256-capable phone answers the SHA-256 challenge, an old one MD5.
/// </summary>
/// <param name="Username">The user name the HA1 values were computed with.</param>
/// <param name="Realm">The realm the HA1 values were computed with.</param>
/// <param name="Md5Ha1">H(user:realm:password) with MD5, 32 lower-case hex characters.</param>
/// <param name="Sha256Ha1">H(user:realm:password) with SHA-256, 64 lower-case hex characters.</param>
public sealed record DigestAccountHashes(string Username, string Realm, string Md5Ha1, string Sha256Ha1)
{
    /// <summary>Computes both HA1 values from a clear-text password.</summary>
    public static DigestAccountHashes FromPassword(string username, string realm, string password) =>
        new(
            username,
            realm,
            DigestCalculator.ComputeHa1(DigestAlgorithm.Md5, username, realm, password),
            DigestCalculator.ComputeHa1(DigestAlgorithm.Sha256, username, realm, password));

    /// <summary>The base HA1 for <paramref name="algorithm"/> (the <c>-sess</c> variants use the same one).</summary>
    public string GetHa1(DigestAlgorithm algorithm) =>
        DigestAlgorithms.GetBase(algorithm) == DigestAlgorithm.Sha256 ? Sha256Ha1 : Md5Ha1;

    /// <summary>Keeps HA1 values out of logs.</summary>
    public override string ToString() => $"DigestAccountHashes {{ Username = {Username}, Realm = {Realm} }}";
}
