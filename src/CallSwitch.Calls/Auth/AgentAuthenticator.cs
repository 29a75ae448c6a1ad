using System.Net;
using CallSwitch.Configuration;
using CallSwitch.Sip.Auth;
using CallSwitch.Sip.Messages;
using CallSwitch.Sip.Transport;
using Serilog;

namespace CallSwitch.Calls.Auth;

/// <summary>
/// Authenticates agents' requests with digest (RFC 3261 §22): REGISTER is challenged with 401
/// and WWW-Authenticate, every other request with 407 and Proxy-Authenticate. Credentials are
/// accepted from whichever header the phone used (phones put Proxy-Authorization on ACK, BYE and
/// de-REGISTER too). A source that fails too often is refused with 403 for a while, and an
/// unknown user looks exactly like a wrong password. Thread-safe.
/// </summary>
public sealed class AgentAuthenticator
{
    private readonly DigestServer _server;
    private readonly AuthFailureLimiter _limiter;
    private readonly IDigestCredentialStore _credentials;
    private readonly ILogger _log;
    private readonly string[] _md5OnlyUserAgents;

    /// <summary>Creates the authenticator.</summary>
    /// <param name="server">Issues and checks the challenges.</param>
    /// <param name="limiter">Blocks sources that fail too often.</param>
    /// <param name="credentials">The agents' HA1s.</param>
    /// <param name="log">Where failures are logged.</param>
    /// <param name="md5OnlyUserAgents">User-Agent prefixes challenged with MD5 alone (see <see cref="ChallengeAlgorithms"/>); the configuration's default when not given.</param>
    public AgentAuthenticator(DigestServer server, AuthFailureLimiter limiter, IDigestCredentialStore credentials, ILogger log, IEnumerable<string>? md5OnlyUserAgents = null)
    {
        _md5OnlyUserAgents = [.. (md5OnlyUserAgents ?? new AuthConfig().Md5OnlyUserAgents).Where(p => p.Length > 0)];
        _server = server;
        _limiter = limiter;
        _credentials = credentials;
        _log = log.ForContext<AgentAuthenticator>();
    }

    /// <summary>The realm challenged for.</summary>
    public string Realm => _server.Realm;

    /// <summary>Authenticates <paramref name="request"/>, received on <paramref name="flow"/>.</summary>
    public AuthDecision Authenticate(SipRequest request, SipFlow flow)
    {
        IPAddress source = flow.Remote.Address;
        bool registrar = request.Method == SipMethods.Register;
        if (_limiter.IsBlocked(source))
        {
            return AuthDecision.Refuse(403, "Forbidden");
        }

        string? credentials = FindCredentials(request);
        if (credentials is null)
        {
            return Challenge(request, registrar, stale: false);
        }

        DigestVerificationResult result = _server.Verify(request.Method, credentials, _credentials);
        switch (result.Status)
        {
            case DigestVerificationStatus.Ok:
                return AuthDecision.Authenticated(result.AuthenticatedUsername!);
            case DigestVerificationStatus.Stale:
                _log.Debug("Stale digest credentials from {Source} for {User}: {Reason}", flow.Remote, result.ClaimedUsername, result.Reason);
                return Challenge(request, registrar, stale: true);
            default:
                AuthFailureOutcome outcome = _limiter.RecordFailure(source);
                _log.Warning(
                    "Authentication failed for {User} from {Source} ({Method}): {Reason}; {Failures} failure(s) in the window",
                    result.ClaimedUsername,
                    flow.Remote,
                    request.Method,
                    result.Reason,
                    outcome.FailuresInWindow);
                if (outcome.BecameBlocked)
                {
                    _log.Warning("Blocking {Source} until {Until} after repeated authentication failures", source, outcome.BlockedUntil);
                }

                if (result.Status == DigestVerificationStatus.Malformed)
                {
                    return AuthDecision.Refuse(400, "Malformed Credentials");
                }

                return outcome.IsBlocked ? AuthDecision.Refuse(403, "Forbidden") : Challenge(request, registrar, stale: false);
        }
    }

    private string? FindCredentials(SipRequest request)
    {
        // Prefer credentials for our realm, wherever the phone put them.
        string? any = null;
        foreach (HeaderId id in (ReadOnlySpan<HeaderId>)[HeaderId.Authorization, HeaderId.ProxyAuthorization])
        {
            foreach (string value in request.Headers.GetValues(id))
            {
                any ??= value;
                if (DigestCredentials.TryParse(value, out var parsed) && parsed.Realm == _server.Realm)
                {
                    return value;
                }
            }
        }

        return any;
    }

    private AuthDecision Challenge(SipRequest request, bool registrar, bool stale) => new(
        null,
        registrar ? 401 : 407,
        null,
        registrar ? HeaderId.WwwAuthenticate : HeaderId.ProxyAuthenticate,
        _server.CreateChallengeHeaderValues(ChallengeAlgorithms(request), stale));

    /// <summary>
    /// The configured algorithms, except for a client (by its User-Agent, configured in
    /// <c>auth.md5_only_user_agents</c>) known to give up on the whole challenge
    /// when any of it names an algorithm other than MD5, which gets MD5 alone when MD5 is offered.
    /// </summary>
    /// <remarks>
    /// libre, the SIP stack of baresip (Debian's baresip 1.0.0 with libre 1.1.0), stops at the
    /// first WWW-/Proxy-Authenticate whose algorithm is not MD5 and fails the request (ENOSYS)
    /// instead of answering the challenge it supports (RFC 8760 §2.4): with MD5 and SHA-256
    /// offered it never registers nor calls. Nothing is weakened: such a client could choose
    /// MD5 from the full list anyway.
    /// </remarks>
    private IReadOnlyList<DigestAlgorithm> ChallengeAlgorithms(SipRequest request)
    {
        IReadOnlyList<DigestAlgorithm> configured = _server.Algorithms;
        if (configured.Count > 1 && configured.Contains(DigestAlgorithm.Md5) && IsMd5OnlyClient(request.Headers[HeaderId.UserAgent]))
        {
            return [DigestAlgorithm.Md5];
        }

        return configured;
    }

    private bool IsMd5OnlyClient(string? userAgent) =>
        userAgent is not null && _md5OnlyUserAgents.Any(prefix => userAgent.TrimStart().StartsWith(prefix, StringComparison.OrdinalIgnoreCase));
}
