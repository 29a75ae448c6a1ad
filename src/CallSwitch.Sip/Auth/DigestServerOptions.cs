namespace CallSwitch.Sip.Auth;

/// <summary>Settings of a <see cref="DigestServer"/>.</summary>
public sealed class DigestServerOptions
{
    /// <summary>The realm challenged for (RFC 3261 §22.1: usually the domain served).</summary>
    public required string Realm { get; init; }

    /// <summary>
    /// How long a nonce may be used (with increasing nc) before answers with it are refused as
    /// stale. Default 5 minutes: long enough for a call's ACK/BYE/re-INVITE to reuse it, short
    /// enough to limit replay and offline guessing exposure; an expired nonce costs the phone one
    /// transparent stale round trip.
    /// </summary>
    public TimeSpan NonceLifetime { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Whether credentials without qop (RFC 2069 style, no cnonce/nc) are accepted. Default
    /// false: RFC 3261 §22.4 makes qop mandatory in our challenges, every phone and trunk we know
    /// answers with qop=auth, and without nc such credentials cannot be protected against replay
    /// for the whole nonce lifetime. Turn on only for a specific legacy device population.
    /// </summary>
    public bool AllowRfc2069 { get; init; }

    /// <summary>
    /// Algorithms challenged with, one challenge each in this order (RFC 8760 §2.4: the preferred
    /// one first). Only <see cref="DigestAlgorithm.Sha256"/> and <see cref="DigestAlgorithm.Md5"/>
    /// are allowed. Default: SHA-256 then MD5.
    /// </summary>
    public IReadOnlyList<DigestAlgorithm> Algorithms { get; init; } = [DigestAlgorithm.Sha256, DigestAlgorithm.Md5];

    /// <summary>
    /// Upper bound on nonces whose nonce-count is tracked for replay protection. Default 100 000
    /// (a few MB): at five-minute lifetimes that is several hundred authentications per second.
    /// </summary>
    public int MaxTrackedNonces { get; init; } = 100_000;

    /// <summary>
    /// Key for the nonce MAC. Empty (default) means a random per-process key, so nonces do not
    /// survive a restart (phones then get one stale round trip). Set the same value of at least
    /// 16 bytes on every node of a cluster that shares a realm.
    /// </summary>
    public ReadOnlyMemory<byte> NonceSecret { get; init; }

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrEmpty(Realm);
        if (NonceLifetime <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(NonceLifetime), NonceLifetime, "Must be positive.");
        }

        if (Algorithms is null || Algorithms.Count == 0
            || Algorithms.Any(a => a is not (DigestAlgorithm.Md5 or DigestAlgorithm.Sha256)))
        {
            throw new ArgumentException("Algorithms must list MD5 and/or SHA-256 only.", nameof(Algorithms));
        }

        if (MaxTrackedNonces < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxTrackedNonces), MaxTrackedNonces, "Must be positive.");
        }

        if (!NonceSecret.IsEmpty && NonceSecret.Length < 16)
        {
            throw new ArgumentException("NonceSecret must be at least 16 bytes.", nameof(NonceSecret));
        }

        if (Realm.AsSpan().IndexOfAny('\r', '\n', '\0') >= 0)
        {
            throw new ArgumentException("Realm contains a control character.", nameof(Realm));
        }
    }
}
