using System.Net;
using System.Security.Cryptography;
using System.Text;
using CallSwitch.Configuration;
using CallSwitch.Sip.Auth;

namespace CallSwitch.Server.Api;

/// <summary>
/// Finds the API client of a request from its bearer token (RFC 6750): the token's SHA-256 is
/// compared in constant time with each configured client's. Wrong tokens count against the
/// sender's address and block it for a while, like wrong SIP passwords do.
/// </summary>
/// <remarks>Thread-safe. The clients are read per request, so a configuration reload applies at once.</remarks>
internal sealed class ApiClientAuthenticator
{
    private readonly Func<ApiConfig?> _config;
    private readonly AuthFailureLimiter _limiter;

    public ApiClientAuthenticator(Func<ApiConfig?> config, AuthFailureLimiter limiter)
    {
        _config = config;
        _limiter = limiter;
    }

    /// <summary>Authenticates the value of an Authorization header sent from <paramref name="remote"/>.</summary>
    public ApiAuthResult Authenticate(string? authorization, IPAddress remote)
    {
        if (_limiter.IsBlocked(remote))
        {
            return new ApiAuthResult(ApiAuthOutcome.Blocked, null);
        }

        if (authorization is null)
        {
            return new ApiAuthResult(ApiAuthOutcome.Missing, null);
        }

        // "Bearer" is case-insensitive (RFC 9110 §11.1); the token is base64url-ish text.
        const string Scheme = "Bearer ";
        string? token = authorization.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) ? authorization[Scheme.Length..].Trim() : null;
        if (string.IsNullOrEmpty(token) || token.Length > 512)
        {
            _limiter.RecordFailure(remote);
            return new ApiAuthResult(ApiAuthOutcome.Invalid, null);
        }

        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(token), hash);
        ApiClientConfig? found = null;
        foreach (ApiClientConfig client in _config()?.Clients ?? [])
        {
            // Every client is compared, whatever matched, so the time taken says nothing of which one.
            if (CryptographicOperations.FixedTimeEquals(hash, client.TokenSha256 as byte[] ?? [.. client.TokenSha256]))
            {
                found = client;
            }
        }

        if (found is null)
        {
            _limiter.RecordFailure(remote);
            return new ApiAuthResult(ApiAuthOutcome.Invalid, null);
        }

        return new ApiAuthResult(ApiAuthOutcome.Accepted, found);
    }

    /// <summary>Makes a new random token (32 bytes, base64url) and the hex SHA-256 to configure.</summary>
    public static (string Token, string Sha256Hex) NewToken()
    {
        string token = Base64Url(RandomNumberGenerator.GetBytes(32));
        return (token, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token))));
    }

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>How a request's credentials fared.</summary>
internal enum ApiAuthOutcome
{
    /// <summary>A configured client's token.</summary>
    Accepted,

    /// <summary>No Authorization header.</summary>
    Missing,

    /// <summary>A token no client has, or not a bearer token.</summary>
    Invalid,

    /// <summary>The sender is blocked after too many wrong tokens.</summary>
    Blocked,
}

/// <summary>The outcome and, when accepted, the client.</summary>
internal readonly record struct ApiAuthResult(ApiAuthOutcome Outcome, ApiClientConfig? Client);
