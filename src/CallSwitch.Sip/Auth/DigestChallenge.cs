using System.Diagnostics.CodeAnalysis;

namespace CallSwitch.Sip.Auth;

/// <summary>
/// A <c>Digest</c> challenge: the value of a <c>WWW-Authenticate</c> or <c>Proxy-Authenticate</c>
/// header field (RFC 3261 §22.1/§25.1, RFC 7616 §3.3).
/// </summary>
public sealed class DigestChallenge
{
    /// <summary>Protection space; shown to users and bound into HA1.</summary>
    public required string Realm { get; init; }

    /// <summary>Server nonce, opaque to the client.</summary>
    public required string Nonce { get; init; }

    /// <summary>Data the client must echo unchanged, if present.</summary>
    public string? Opaque { get; init; }

    /// <summary>The <c>domain</c> parameter (space-separated URIs), if present.</summary>
    public string? Domain { get; init; }

    /// <summary>
    /// The <c>algorithm</c> parameter as written, or null when absent (which means MD5,
    /// RFC 7616 §3.3).
    /// </summary>
    public string? AlgorithmName { get; init; }

    /// <summary>The offered qop options (<c>auth</c>, <c>auth-int</c>); empty for an RFC 2069 challenge.</summary>
    public IReadOnlyList<string> QopOptions { get; init; } = [];

    /// <summary>
    /// True when the previous request was refused only because its nonce was stale: the client
    /// retries with the new nonce without treating it as a wrong password (RFC 7616 §3.3).
    /// </summary>
    public bool Stale { get; init; }

    /// <summary>Parameters CallSwitch does not interpret, in their original order.</summary>
    public IReadOnlyList<AuthParameter> OtherParameters { get; init; } = [];

    /// <summary>The algorithm, or null when <see cref="AlgorithmName"/> names one we do not support.</summary>
    public DigestAlgorithm? Algorithm =>
        DigestAlgorithms.TryParse(AlgorithmName ?? "MD5", out var algorithm) ? algorithm : null;

    /// <summary>Whether <paramref name="qop"/> is among <see cref="QopOptions"/> (case-insensitive).</summary>
    public bool OffersQop(string qop)
    {
        foreach (var option in QopOptions)
        {
            if (option.Equals(qop, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Parses a challenge header value. Returns false (never throws) for another scheme, a
    /// syntax error, or a missing <c>realm</c>/<c>nonce</c>.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> value, [NotNullWhen(true)] out DigestChallenge? challenge)
    {
        challenge = null;
        if (!AuthHeaderParser.TryParse(value, out var scheme, out var parameters)
            || !scheme.Equals("Digest", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        string? realm = null, nonce = null, opaque = null, domain = null, algorithm = null;
        IReadOnlyList<string> qop = [];
        var stale = false;
        var others = new List<AuthParameter>();
        foreach (var parameter in parameters)
        {
            switch (parameter.Name.ToLowerInvariant())
            {
                case "realm": realm = parameter.Value; break;
                case "nonce": nonce = parameter.Value; break;
                case "opaque": opaque = parameter.Value; break;
                case "domain": domain = parameter.Value; break;
                case "algorithm": algorithm = parameter.Value; break;
                case "qop": qop = SplitQop(parameter.Value); break;
                case "stale": stale = parameter.Value.Trim().Equals("true", StringComparison.OrdinalIgnoreCase); break;
                default: others.Add(parameter); break;
            }
        }

        if (realm is null || nonce is null)
        {
            return false;
        }

        challenge = new DigestChallenge
        {
            Realm = realm,
            Nonce = nonce,
            Opaque = opaque,
            Domain = domain,
            AlgorithmName = algorithm,
            QopOptions = qop,
            Stale = stale,
            OtherParameters = others,
        };
        return true;
    }

    /// <summary>
    /// Writes the canonical header value, e.g.
    /// <c>Digest realm="r", nonce="n", algorithm=SHA-256, qop="auth"</c>.
    /// </summary>
    /// <exception cref="ArgumentException">A value contains CR, LF or NUL.</exception>
    public string ToHeaderValue()
    {
        var writer = new AuthHeaderWriter("Digest")
            .Quoted("realm", Realm)
            .Quoted("domain", Domain)
            .Quoted("nonce", Nonce)
            .Quoted("opaque", Opaque)
            .Token("algorithm", AlgorithmName)
            .Quoted("qop", QopOptions.Count == 0 ? null : string.Join(',', QopOptions));
        if (Stale)
        {
            writer.Token("stale", "true");
        }

        return writer.Others(OtherParameters).ToString();
    }

    /// <inheritdoc cref="ToHeaderValue"/>
    public override string ToString() => ToHeaderValue();

    private static string[] SplitQop(string value) =>
        value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
