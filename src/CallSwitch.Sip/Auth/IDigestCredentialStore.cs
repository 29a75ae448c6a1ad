using System.Diagnostics.CodeAnalysis;

namespace CallSwitch.Sip.Auth;

/// <summary>
/// Where <see cref="DigestServer"/> looks up accounts. Implementations return the stored HA1
/// rather than a password so that clear-text passwords need not be kept.
/// </summary>
public interface IDigestCredentialStore
{
    /// <summary>
    /// Finds the HA1 (H(user:realm:password), lower-case hex) for <paramref name="username"/> in
    /// <paramref name="realm"/> computed with <paramref name="algorithm"/> (always a base
    /// algorithm: <see cref="DigestAlgorithm.Md5"/> or <see cref="DigestAlgorithm.Sha256"/>).
    /// Returns false when the user is unknown. Must not throw for odd user names: they come
    /// straight from the network.
    /// </summary>
    bool TryGetHa1(string username, string realm, DigestAlgorithm algorithm, [NotNullWhen(true)] out string? ha1);
}
