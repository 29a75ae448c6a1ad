using System.Security.Cryptography;

namespace CallSwitch.Sip.Auth;

/// <summary>
/// Server side of SIP Digest authentication (RFC 3261 §22, RFC 7616, RFC 8760) for one realm:
/// issues challenges and verifies credentials. Thread-safe; one instance per realm for the
/// process lifetime. Header names (WWW- vs Proxy-) are the caller's choice.
/// </summary>
/// <remarks>
/// Intended request flow: if <see cref="AuthFailureLimiter.IsBlocked(string)"/> says the source
/// is blocked, refuse (e.g. 403) without looking at credentials. Without credentials, answer
/// 401/407 with <see cref="CreateChallenges(bool)"/>. With credentials, <see cref="Verify(string, ReadOnlySpan{char}, IDigestCredentialStore)"/>:
/// <see cref="DigestVerificationStatus.Ok"/> proceeds; <see cref="DigestVerificationStatus.Stale"/>
/// re-challenges with <c>stale: true</c> (not a failure); <see cref="DigestVerificationStatus.Failed"/>
/// calls <see cref="AuthFailureLimiter.RecordFailure(string)"/> and re-challenges;
/// <see cref="DigestVerificationStatus.Malformed"/> answers 400 (or re-challenges) and may be
/// counted as a failure too.
/// </remarks>
public sealed class DigestServer
{
    private const string QopAuth = "auth";

    private readonly DigestServerOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly NonceCodec _nonces;
    private readonly NonceCountTracker _nonceCounts;
    private readonly long _lifetimeMilliseconds;
    private readonly string _dummyMd5Ha1;
    private readonly string _dummySha256Ha1;

    /// <summary>Creates a server for <see cref="DigestServerOptions.Realm"/>.</summary>
    /// <exception cref="ArgumentException">Invalid options.</exception>
    public DigestServer(DigestServerOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        options.Validate();
        _options = options;
        _timeProvider = timeProvider;
        _lifetimeMilliseconds = Math.Max(1, (long)options.NonceLifetime.TotalMilliseconds);
        var secret = options.NonceSecret.IsEmpty ? RandomNumberGenerator.GetBytes(32) : options.NonceSecret.ToArray();
        _nonces = new NonceCodec(secret, options.Realm);
        _nonceCounts = new NonceCountTracker(options.MaxTrackedNonces, _lifetimeMilliseconds);

        // Unknown users are checked against a random HA1 so they cost the same work as known ones.
        _dummyMd5Ha1 = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        _dummySha256Ha1 = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
    }

    /// <summary>The realm challenged for.</summary>
    public string Realm => _options.Realm;

    /// <summary>Number of nonces currently tracked for replay protection.</summary>
    internal int TrackedNonceCount => _nonceCounts.Count;

    /// <summary>The algorithms challenged with and accepted, in the configured order.</summary>
    public IReadOnlyList<DigestAlgorithm> Algorithms => _options.Algorithms;

    /// <summary>
    /// Creates one challenge per configured algorithm (SHA-256 first by default, RFC 8760 §2.4),
    /// all sharing one fresh nonce, each with <c>qop="auth"</c> (RFC 3261 §22.4 requires qop).
    /// Send each as its own WWW-Authenticate (401) or Proxy-Authenticate (407) header field.
    /// </summary>
    /// <param name="stale">Set when the previous attempt was <see cref="DigestVerificationStatus.Stale"/>.</param>
    public IReadOnlyList<DigestChallenge> CreateChallenges(bool stale = false) => CreateChallenges(_options.Algorithms, stale);

    /// <summary>
    /// Creates one challenge per algorithm of <paramref name="algorithms"/>, in that order, sharing
    /// one fresh nonce: for a client that cannot cope with the whole configured list.
    /// </summary>
    /// <param name="algorithms">A non-empty subset of <see cref="Algorithms"/>.</param>
    /// <param name="stale">Set when the previous attempt was <see cref="DigestVerificationStatus.Stale"/>.</param>
    /// <exception cref="ArgumentException">An algorithm is not configured, or the list is empty.</exception>
    public IReadOnlyList<DigestChallenge> CreateChallenges(IReadOnlyList<DigestAlgorithm> algorithms, bool stale = false)
    {
        ArgumentNullException.ThrowIfNull(algorithms);
        if (algorithms.Count == 0 || algorithms.Any(a => !_options.Algorithms.Contains(a)))
        {
            throw new ArgumentException("Challenge only with configured algorithms, at least one.", nameof(algorithms));
        }

        var nonce = _nonces.Create(NowMilliseconds());
        var challenges = new DigestChallenge[algorithms.Count];
        for (var i = 0; i < challenges.Length; i++)
        {
            challenges[i] = new DigestChallenge
            {
                Realm = _options.Realm,
                Nonce = nonce,
                AlgorithmName = DigestAlgorithms.GetName(algorithms[i]),
                QopOptions = [QopAuth],
                Stale = stale,
            };
        }

        return challenges;
    }

    /// <summary><see cref="CreateChallenges(bool)"/> already formatted as header values.</summary>
    public IReadOnlyList<string> CreateChallengeHeaderValues(bool stale = false) => CreateChallengeHeaderValues(_options.Algorithms, stale);

    /// <summary><see cref="CreateChallenges(IReadOnlyList{DigestAlgorithm}, bool)"/> already formatted as header values.</summary>
    public IReadOnlyList<string> CreateChallengeHeaderValues(IReadOnlyList<DigestAlgorithm> algorithms, bool stale = false) =>
        CreateChallenges(algorithms, stale).Select(c => c.ToHeaderValue()).ToArray();

    /// <summary>
    /// Verifies an <c>Authorization</c>/<c>Proxy-Authorization</c> header value. Never throws on
    /// hostile input.
    /// </summary>
    /// <param name="method">The request method (HA2 covers it), e.g. <c>REGISTER</c>.</param>
    /// <param name="credentialsValue">The header field value.</param>
    /// <param name="store">Account lookup.</param>
    public DigestVerificationResult Verify(string method, ReadOnlySpan<char> credentialsValue, IDigestCredentialStore store)
    {
        if (!DigestCredentials.TryParse(credentialsValue, out var credentials))
        {
            return DigestVerificationResult.Malformed(null, "unparsable Digest credentials");
        }

        return Verify(method, credentials, store);
    }

    /// <summary>Verifies already parsed credentials; see <see cref="Verify(string, ReadOnlySpan{char}, IDigestCredentialStore)"/>.</summary>
    public DigestVerificationResult Verify(string method, DigestCredentials credentials, IDigestCredentialStore store)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentNullException.ThrowIfNull(store);
        var username = credentials.Username;

        if (!string.Equals(credentials.Realm, _options.Realm, StringComparison.Ordinal))
        {
            return DigestVerificationResult.Failed(username, "realm mismatch");
        }

        if (credentials.Algorithm is not { } algorithm || !_options.Algorithms.Contains(algorithm))
        {
            return DigestVerificationResult.Failed(username, "algorithm not offered");
        }

        uint nonceCount = 0;
        if (credentials.Qop is null)
        {
            if (credentials.Cnonce is not null || credentials.NonceCount is not null)
            {
                return DigestVerificationResult.Malformed(username, "cnonce or nc without qop");
            }

            if (!_options.AllowRfc2069)
            {
                return DigestVerificationResult.Failed(username, "qop missing (RFC 2069 credentials not allowed)");
            }
        }
        else
        {
            if (!credentials.Qop.Equals(QopAuth, StringComparison.OrdinalIgnoreCase))
            {
                return DigestVerificationResult.Failed(username, "qop not offered");
            }

            if (string.IsNullOrEmpty(credentials.Cnonce))
            {
                return DigestVerificationResult.Malformed(username, "cnonce missing");
            }

            if (!credentials.TryGetNonceCount(out nonceCount) || nonceCount == 0)
            {
                return DigestVerificationResult.Malformed(username, "nc missing or not 8 hex digits");
            }
        }

        if (!IsHex(credentials.Response, DigestAlgorithms.GetHexLength(algorithm)))
        {
            return DigestVerificationResult.Malformed(username, "response is not a hex digest of the right length");
        }

        // Compute the expected response even for unknown users (against a random HA1) so that an
        // unknown user and a wrong password take the same path and give the same answer.
        var known = store.TryGetHa1(username, _options.Realm, algorithm, out var ha1) && IsHex(ha1, DigestAlgorithms.GetHexLength(algorithm));
        if (!known)
        {
            ha1 = algorithm == DigestAlgorithm.Sha256 ? _dummySha256Ha1 : _dummyMd5Ha1;
        }

        var ha2 = DigestCalculator.ComputeHa2(algorithm, method, credentials.Uri);
        var qop = credentials.Qop is null ? null : QopAuth;
        var expected = DigestCalculator.ComputeResponse(
            algorithm, ha1!.ToLowerInvariant(), credentials.Nonce, credentials.NonceCount, credentials.Cnonce, qop, ha2);
        var matches = ResponsesEqual(expected, credentials.Response);
        if (!known || !matches)
        {
            return DigestVerificationResult.Failed(username, DigestVerificationResult.BadCredentialsReason);
        }

        // The password is proven. From here on a refusal is "stale": the client retries with a
        // fresh nonce without bothering the user, and an attacker replaying a captured request
        // learns nothing from it (RFC 7616 §3.3 stale semantics).
        var now = NowMilliseconds();
        switch (_nonces.Validate(credentials.Nonce, now, _lifetimeMilliseconds, out var issuedAt))
        {
            case NonceValidity.Expired:
                return DigestVerificationResult.Stale(username, "nonce expired");
            case NonceValidity.Invalid:
                return DigestVerificationResult.Stale(username, "nonce not issued by this server");
        }

        if (credentials.Qop is not null)
        {
            switch (_nonceCounts.TryAccept(credentials.Nonce, issuedAt, nonceCount, now))
            {
                case NonceCountCheck.Replayed:
                    return DigestVerificationResult.Stale(username, "nonce count replayed");
                case NonceCountCheck.Forgotten:
                    return DigestVerificationResult.Stale(username, "nonce history evicted");
            }
        }

        return DigestVerificationResult.Ok(username);
    }

    private long NowMilliseconds() => _timeProvider.GetUtcNow().ToUnixTimeMilliseconds();

    private static bool IsHex(string? value, int length)
    {
        if (value is null || value.Length != length)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Constant-time, hex-case-insensitive comparison of two equal-length hex digests.</summary>
    private static bool ResponsesEqual(string expectedLowerHex, string received)
    {
        Span<byte> a = stackalloc byte[64];
        Span<byte> b = stackalloc byte[64];
        if (expectedLowerHex.Length != received.Length || received.Length > 64)
        {
            return false;
        }

        for (var i = 0; i < received.Length; i++)
        {
            a[i] = (byte)expectedLowerHex[i];

            // Some UAs send upper-case hex; OR-ing 0x20 lower-cases A-F and leaves digits as they are.
            b[i] = (byte)(received[i] | 0x20);
        }

        return CryptographicOperations.FixedTimeEquals(a[..received.Length], b[..received.Length]);
    }
}
