using System.Net;
using System.Text;
using CallSwitch.Calls.Agents;
using CallSwitch.Calls.Auth;
using CallSwitch.Sip.Auth;
using CallSwitch.Sip.Messages;
using CallSwitch.Sip.Parsing;
using CallSwitch.Sip.Transport;
using Microsoft.Extensions.Time.Testing;
using Serilog.Core;

namespace CallSwitch.Calls.Tests.Auth;

public class AgentAuthenticatorTests
{
    private const string Realm = "callswitch";
    private const string Baresip = "baresip v1.0.0 (x86_64/linux)";
    private static readonly SipFlow Flow = new(SipProtocol.Udp, new IPEndPoint(IPAddress.Loopback, 5060), new IPEndPoint(IPAddress.Loopback, 40000));
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 29, 9, 0, 0, TimeSpan.Zero));

    [Theory]
    [InlineData("REGISTER", 401, "WWW-Authenticate")]
    [InlineData("INVITE", 407, "Proxy-Authenticate")]
    public void BaresipIsChallengedWithMd5AloneAndItsAnswerIsAccepted(string method, int status, string header)
    {
        // libre (baresip's SIP stack) fails the whole request when any challenge names SHA-256.
        AgentAuthenticator authenticator = Create(DigestAlgorithm.Sha256, DigestAlgorithm.Md5);

        AuthDecision challenge = authenticator.Authenticate(Request(method, Baresip), Flow);

        Assert.Equal(status, challenge.StatusCode);
        Assert.Equal(header, HeaderNames.GetName(challenge.ChallengeHeader));
        string only = Assert.Single(challenge.Challenges);
        Assert.Contains("algorithm=MD5", only, StringComparison.Ordinal);

        DigestClientResult answer = new DigestClient("1001", "demo1001").Answer(challenge.Challenges, method, "sip:127.0.0.1:5060;transport=udp");
        AuthDecision second = authenticator.Authenticate(Request(method, Baresip, (status == 401 ? "Authorization: " : "Proxy-Authorization: ") + answer.HeaderValue), Flow);
        Assert.Equal("1001", second.User);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("SIPp/3.6.1")]
    [InlineData("Linphone/5.1.65 (belle-sip/5.1.0)")]
    public void OtherClientsGetEveryConfiguredAlgorithmInOrder(string? userAgent)
    {
        AgentAuthenticator authenticator = Create(DigestAlgorithm.Sha256, DigestAlgorithm.Md5);

        AuthDecision challenge = authenticator.Authenticate(Request("REGISTER", userAgent), Flow);

        Assert.Equal(2, challenge.Challenges.Count);
        Assert.Contains("algorithm=SHA-256", challenge.Challenges[0], StringComparison.Ordinal);
        Assert.Contains("algorithm=MD5", challenge.Challenges[1], StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutMd5ConfiguredBaresipGetsWhatIsConfigured()
    {
        // The switch never offers an algorithm its configuration leaves out.
        AgentAuthenticator authenticator = Create(DigestAlgorithm.Sha256);

        AuthDecision challenge = authenticator.Authenticate(Request("REGISTER", Baresip), Flow);

        Assert.Contains("algorithm=SHA-256", Assert.Single(challenge.Challenges), StringComparison.Ordinal);
    }

    [Fact]
    public void TheMd5OnlyListIsConfigurable()
    {
        AgentAuthenticator authenticator = Create(["OldPhone"], DigestAlgorithm.Sha256, DigestAlgorithm.Md5);

        AuthDecision old = authenticator.Authenticate(Request("REGISTER", "  oldphone 2.3"), Flow);
        AuthDecision baresip = authenticator.Authenticate(Request("REGISTER", Baresip), Flow);

        Assert.Contains("algorithm=MD5", Assert.Single(old.Challenges), StringComparison.Ordinal);
        Assert.Equal(2, baresip.Challenges.Count);
    }

    private AgentAuthenticator Create(params DigestAlgorithm[] algorithms) => Create(null, algorithms);

    private AgentAuthenticator Create(string[]? md5Only, params DigestAlgorithm[] algorithms)
    {
        var hashes = DigestAccountHashes.FromPassword("1001", Realm, "demo1001");
        var directory = new AgentDirectory([new AgentAccount("1001", null, hashes.Md5Ha1, hashes.Sha256Ha1)]);
        return new AgentAuthenticator(
            new DigestServer(new DigestServerOptions { Realm = Realm, Algorithms = algorithms }, _time),
            new AuthFailureLimiter(new AuthFailureLimiterOptions(), _time),
            new AgentCredentialStore(directory),
            Logger.None,
            md5Only);
    }

    private static SipRequest Request(string method, string? userAgent, string? credentials = null)
    {
        var sb = new StringBuilder();
        sb.Append(method).Append(" sip:127.0.0.1:5060;transport=udp SIP/2.0\r\n");
        sb.Append("Via: SIP/2.0/UDP 127.0.0.1:40000;branch=z9hG4bK1;rport\r\n");
        sb.Append("From: <sip:1001@127.0.0.1:5060>;tag=abc\r\n");
        sb.Append("To: <sip:1001@127.0.0.1:5060>\r\n");
        sb.Append("Call-ID: auth-1\r\n");
        sb.Append("CSeq: 1 ").Append(method).Append("\r\n");
        if (userAgent is not null)
        {
            sb.Append("User-Agent: ").Append(userAgent).Append("\r\n");
        }

        if (credentials is not null)
        {
            sb.Append(credentials).Append("\r\n");
        }

        sb.Append("Content-Length: 0\r\n\r\n");
        return (SipRequest)new SipMessageParser().Parse(Encoding.UTF8.GetBytes(sb.ToString()));
    }
}
