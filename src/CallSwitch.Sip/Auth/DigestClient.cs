using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace CallSwitch.Sip.Auth;

/// <summary>
/// Client side of SIP Digest authentication, used when CallSwitch registers to or calls through
/// a carrier trunk that answers 401/407 (RFC 3261 §22.2–§22.3, RFC 7616 §3.4, RFC 8760).
/// Remembers the last challenge per realm so that later requests can reuse its nonce with an
/// increasing nonce-count. Thread-safe.
/// </summary>
public sealed class DigestClient
{
    // A trunk uses one or two realms; the cap only guards against a hostile peer inventing many.
    private const int MaxRealms = 16;

    private readonly string _username;
    private readonly string? _password;
    private readonly DigestAccountHashes? _hashes;
    private readonly Func<string> _cnonceFactory;
    private readonly Dictionary<string, RealmState> _realms = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>A client that knows the clear-text password (answers any realm).</summary>
    public DigestClient(string username, string password)
        : this(username, password, null, null)
    {
    }

    /// <summary>
    /// A client that only knows HA1 values; it can answer only challenges for
    /// <see cref="DigestAccountHashes.Realm"/>.
    /// </summary>
    public DigestClient(DigestAccountHashes hashes)
        : this(NotNull(hashes).Username, null, hashes, null)
    {
    }

    /// <summary>Test hook: fixed cnonce values make responses reproducible.</summary>
    internal DigestClient(string username, string? password, DigestAccountHashes? hashes, Func<string>? cnonceFactory)
    {
        ArgumentNullException.ThrowIfNull(username);
        if (password is null && hashes is null)
        {
            throw new ArgumentException("A password or HA1 values are required.", nameof(password));
        }

        _username = username;
        _password = password;
        _hashes = hashes;
        _cnonceFactory = cnonceFactory ?? (() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)));
    }

    private static DigestAccountHashes NotNull(DigestAccountHashes hashes)
    {
        ArgumentNullException.ThrowIfNull(hashes);
        return hashes;
    }

    /// <summary>
    /// Answers a 401/407: picks the strongest usable challenge (SHA-256 over MD5, RFC 8760 §2.4)
    /// among <paramref name="challengeValues"/> (every WWW-Authenticate or Proxy-Authenticate value
    /// of the response) and produces the credentials value for resending the request.
    /// </summary>
    /// <param name="challengeValues">The challenge header values; unparsable ones are skipped.</param>
    /// <param name="method">Method of the request being resent.</param>
    /// <param name="digestUri">Its Request-URI (RFC 3261 §22.4: the digest-uri is the Request-URI).</param>
    /// <param name="body">Its body, used only when the server insists on qop=auth-int.</param>
    /// <param name="previousAttemptCarriedCredentials">
    /// Whether the request that drew this challenge already carried our credentials; a non-stale
    /// challenge then means the credentials are wrong and <see cref="DigestClientStatus.Rejected"/>
    /// is returned instead of looping.
    /// </param>
    public DigestClientResult Answer(
        IEnumerable<string> challengeValues,
        string method,
        string digestUri,
        ReadOnlySpan<byte> body = default,
        bool previousAttemptCarriedCredentials = false)
    {
        ArgumentNullException.ThrowIfNull(challengeValues);
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(digestUri);

        DigestChallenge? best = null;
        var bestAlgorithm = DigestAlgorithm.Md5;
        foreach (var value in challengeValues)
        {
            if (value is null
                || !DigestChallenge.TryParse(value, out var challenge)
                || challenge.Algorithm is not { } algorithm
                || !IsUsable(challenge, algorithm))
            {
                continue;
            }

            if (best is null || DigestAlgorithms.GetStrength(algorithm) > DigestAlgorithms.GetStrength(bestAlgorithm))
            {
                best = challenge;
                bestAlgorithm = algorithm;
            }
        }

        if (best is null)
        {
            return new DigestClientResult(DigestClientStatus.NoUsableChallenge, null, null, "no supported Digest challenge");
        }

        if (previousAttemptCarriedCredentials && !best.Stale)
        {
            return new DigestClientResult(DigestClientStatus.Rejected, null, best, "credentials rejected");
        }

        string headerValue;
        lock (_lock)
        {
            if (!_realms.TryGetValue(best.Realm, out var state) || state.Challenge.Nonce != best.Nonce || state.Algorithm != bestAlgorithm)
            {
                if (_realms.Count >= MaxRealms && !_realms.ContainsKey(best.Realm))
                {
                    _realms.Clear();
                }

                state = new RealmState(best, bestAlgorithm);
                _realms[best.Realm] = state;
            }

            headerValue = CreateCredentials(state, method, digestUri, body);
        }

        var status = best.Stale ? DigestClientStatus.AnsweredStale : DigestClientStatus.Answered;
        return new DigestClientResult(status, headerValue, best, null);
    }

    /// <summary>
    /// Produces credentials for a new request (e.g. BYE, or the next REGISTER refresh) by reusing
    /// the last challenge received for <paramref name="realm"/> with the next nonce-count, saving a
    /// round trip. Returns false when no challenge is remembered for that realm. If the server
    /// finds the nonce stale it answers with <c>stale=true</c> and <see cref="Answer"/> takes over.
    /// </summary>
    public bool TryAuthorize(
        string realm, string method, string digestUri, ReadOnlySpan<byte> body, [NotNullWhen(true)] out string? headerValue)
    {
        ArgumentNullException.ThrowIfNull(realm);
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(digestUri);
        lock (_lock)
        {
            if (_realms.TryGetValue(realm, out var state))
            {
                headerValue = CreateCredentials(state, method, digestUri, body);
                return true;
            }
        }

        headerValue = null;
        return false;
    }

    /// <summary>Forgets remembered challenges (e.g. after a trunk's configuration changed).</summary>
    public void Reset()
    {
        lock (_lock)
        {
            _realms.Clear();
        }
    }

    private bool IsUsable(DigestChallenge challenge, DigestAlgorithm algorithm)
    {
        var qop = ChooseQop(challenge);
        if (qop is { Length: 0 })
        {
            return false;
        }

        // -sess needs a cnonce, which is only sent along with qop (RFC 7616 §3.4.2).
        if (qop is null && DigestAlgorithms.IsSession(algorithm))
        {
            return false;
        }

        return _hashes is null || string.Equals(challenge.Realm, _hashes.Realm, StringComparison.Ordinal);
    }

    /// <summary>
    /// qop to use: null for an RFC 2069 challenge (no qop offered), "auth" when offered,
    /// "auth-int" when only that is offered, and "" when nothing we know is offered.
    /// </summary>
    private static string? ChooseQop(DigestChallenge challenge)
    {
        if (challenge.QopOptions.Count == 0)
        {
            return null;
        }

        return challenge.OffersQop("auth") ? "auth" : challenge.OffersQop("auth-int") ? "auth-int" : string.Empty;
    }

    // Caller holds _lock.
    private string CreateCredentials(RealmState state, string method, string digestUri, ReadOnlySpan<byte> body)
    {
        var challenge = state.Challenge;
        var algorithm = state.Algorithm;
        var qop = ChooseQop(challenge);
        var ha1 = _password is not null
            ? DigestCalculator.ComputeHa1(algorithm, _username, challenge.Realm, _password)
            : _hashes!.GetHa1(algorithm);

        string? cnonce = null;
        string? nc = null;
        if (qop is not null || DigestAlgorithms.IsSession(algorithm))
        {
            // -sess binds HA1 to the cnonce of the first request with this nonce (RFC 7616 §3.4.2),
            // so the whole nonce's lifetime shares one cnonce; otherwise each request gets a fresh one.
            cnonce = DigestAlgorithms.IsSession(algorithm) ? state.SessionCnonce ??= _cnonceFactory() : _cnonceFactory();
        }

        if (DigestAlgorithms.IsSession(algorithm))
        {
            ha1 = DigestCalculator.ComputeSessionHa1(algorithm, ha1, challenge.Nonce, cnonce!);
        }

        if (qop is not null)
        {
            state.NonceCount++;
            nc = DigestCalculator.FormatNonceCount(state.NonceCount);
        }

        var ha2 = qop == "auth-int"
            ? DigestCalculator.ComputeHa2AuthInt(algorithm, method, digestUri, body)
            : DigestCalculator.ComputeHa2(algorithm, method, digestUri);
        var response = DigestCalculator.ComputeResponse(algorithm, ha1, challenge.Nonce, nc, cnonce, qop, ha2);

        return new DigestCredentials
        {
            Username = _username,
            Realm = challenge.Realm,
            Nonce = challenge.Nonce,
            Uri = digestUri,
            Response = response,
            AlgorithmName = challenge.AlgorithmName is null ? null : DigestAlgorithms.GetName(algorithm),
            Cnonce = qop is null ? null : cnonce,
            Opaque = challenge.Opaque,
            Qop = qop,
            NonceCount = nc,
        }.ToHeaderValue();
    }

    private sealed class RealmState(DigestChallenge challenge, DigestAlgorithm algorithm)
    {
        public DigestChallenge Challenge { get; } = challenge;

        public DigestAlgorithm Algorithm { get; } = algorithm;

        public uint NonceCount { get; set; }

        public string? SessionCnonce { get; set; }
    }
}
