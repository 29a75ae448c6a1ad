using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace CallSwitch.Sip.Auth;

/// <summary>
/// <c>Digest</c> credentials: the value of an <c>Authorization</c> or <c>Proxy-Authorization</c>
/// header field (RFC 3261 §22.2/§25.1, RFC 7616 §3.4).
/// </summary>
public sealed class DigestCredentials
{
    /// <summary>User name as claimed by the peer (not yet authenticated).</summary>
    public required string Username { get; init; }

    /// <summary>Realm the response was computed for.</summary>
    public required string Realm { get; init; }

    /// <summary>The server nonce being answered.</summary>
    public required string Nonce { get; init; }

    /// <summary>
    /// The digest-uri exactly as the peer wrote it; it is what the response covers, and it is
    /// deliberately not required to equal the Request-URI (SIPp signs <c>sip:ip:port</c>,
    /// baresip adds <c>;transport=udp</c>).
    /// </summary>
    public required string Uri { get; init; }

    /// <summary>The request-digest in hex.</summary>
    public required string Response { get; init; }

    /// <summary>The <c>algorithm</c> parameter as written, or null when absent (MD5).</summary>
    public string? AlgorithmName { get; init; }

    /// <summary>Client nonce; required with qop.</summary>
    public string? Cnonce { get; init; }

    /// <summary>Echo of the challenge's opaque.</summary>
    public string? Opaque { get; init; }

    /// <summary>The chosen qop (<c>auth</c>/<c>auth-int</c>), or null for RFC 2069 style.</summary>
    public string? Qop { get; init; }

    /// <summary>The <c>nc</c> parameter as written (8 hex digits when well-formed).</summary>
    public string? NonceCount { get; init; }

    /// <summary>Parameters CallSwitch does not interpret, in their original order.</summary>
    public IReadOnlyList<AuthParameter> OtherParameters { get; init; } = [];

    /// <summary>The algorithm, or null when <see cref="AlgorithmName"/> names one we do not support.</summary>
    public DigestAlgorithm? Algorithm =>
        DigestAlgorithms.TryParse(AlgorithmName ?? "MD5", out var algorithm) ? algorithm : null;

    /// <summary>Parses <see cref="NonceCount"/>: exactly 8 hex digits (RFC 7616 §3.4 <c>nc-value</c>).</summary>
    public bool TryGetNonceCount(out uint value)
    {
        value = 0;
        return NonceCount is { Length: 8 } text
            && uint.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>
    /// Parses a credentials header value. Returns false (never throws) for another scheme, a
    /// syntax error, or a missing <c>username</c>, <c>realm</c>, <c>nonce</c>, <c>uri</c> or
    /// <c>response</c>.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> value, [NotNullWhen(true)] out DigestCredentials? credentials)
    {
        credentials = null;
        if (!AuthHeaderParser.TryParse(value, out var scheme, out var parameters)
            || !scheme.Equals("Digest", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        string? username = null, realm = null, nonce = null, uri = null, response = null;
        string? algorithm = null, cnonce = null, opaque = null, qop = null, nc = null;
        var others = new List<AuthParameter>();
        foreach (var parameter in parameters)
        {
            switch (parameter.Name.ToLowerInvariant())
            {
                case "username": username = parameter.Value; break;
                case "realm": realm = parameter.Value; break;
                case "nonce": nonce = parameter.Value; break;
                case "uri": uri = parameter.Value; break;
                case "response": response = parameter.Value; break;
                case "algorithm": algorithm = parameter.Value; break;
                case "cnonce": cnonce = parameter.Value; break;
                case "opaque": opaque = parameter.Value; break;
                case "qop": qop = parameter.Value; break;
                case "nc": nc = parameter.Value; break;
                default: others.Add(parameter); break;
            }
        }

        if (username is null || realm is null || nonce is null || uri is null || response is null)
        {
            return false;
        }

        credentials = new DigestCredentials
        {
            Username = username,
            Realm = realm,
            Nonce = nonce,
            Uri = uri,
            Response = response,
            AlgorithmName = algorithm,
            Cnonce = cnonce,
            Opaque = opaque,
            Qop = qop,
            NonceCount = nc,
            OtherParameters = others,
        };
        return true;
    }

    /// <summary>
    /// Writes the canonical header value in the RFC 3261 §22.4 style: quoted strings for
    /// username/realm/nonce/uri/response/cnonce/opaque, tokens for algorithm, qop and nc.
    /// </summary>
    /// <exception cref="ArgumentException">A value contains CR, LF or NUL, or a token value is not a token.</exception>
    public string ToHeaderValue() =>
        new AuthHeaderWriter("Digest")
            .Quoted("username", Username)
            .Quoted("realm", Realm)
            .Quoted("nonce", Nonce)
            .Quoted("uri", Uri)
            .Quoted("response", Response)
            .Token("algorithm", AlgorithmName)
            .Quoted("cnonce", Cnonce)
            .Quoted("opaque", Opaque)
            .Token("qop", Qop)
            .Token("nc", NonceCount)
            .Others(OtherParameters)
            .ToString();

    /// <inheritdoc cref="ToHeaderValue"/>
    public override string ToString() => ToHeaderValue();
}
