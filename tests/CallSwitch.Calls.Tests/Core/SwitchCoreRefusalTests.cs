using System.Net;
using System.Text;
using CallSwitch.Calls.Agents;
using CallSwitch.Calls.Auth;
using CallSwitch.Calls.Core;
using CallSwitch.Calls.Registration;
using CallSwitch.Calls.Routing;
using CallSwitch.Calls.Sessions;
using CallSwitch.Compliance.Numbers;
using CallSwitch.Media.Announcements;
using CallSwitch.Media.Relay;
using CallSwitch.Sip.Auth;
using CallSwitch.Sip.Messages;
using CallSwitch.Sip.Parsing;
using CallSwitch.Sip.Transactions;
using CallSwitch.Sip.Transport;
using CallSwitch.TestSupport;
using Microsoft.Extensions.Time.Testing;
using Serilog.Core;

namespace CallSwitch.Calls.Tests.Core;

/// <summary>What an agent and the switch's log are told when an INVITE is refused by routing.</summary>
public sealed class SwitchCoreRefusalTests : IDisposable
{
    private const string Realm = "callswitch";
    private const string ServerName = "callswitch.test";
    private static readonly SipFlow Agent = new(SipProtocol.Udp, new IPEndPoint(IPAddress.Loopback, 5060), new IPEndPoint(IPAddress.Loopback, 40000));
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero));
    private readonly FakeSipTransport _transport = new();
    private readonly StringWriter _log = new();
    private readonly MediaRelay _relay = new(new MediaRelayOptions { BindAddress = IPAddress.Loopback, MinPort = 20000, MaxPort = 20003 });
    private readonly SipTransactionLayer _transactions;

    public SwitchCoreRefusalTests()
    {
        var user = new DeferredUser();
        _transactions = new SipTransactionLayer(_transport, user, _time);
        var table = new RoutingTable
        {
            Trunks = new Dictionary<string, Trunk> { ["carrier"] = new() { Id = "carrier", Host = "127.0.0.9", EndPoint = new IPEndPoint(IPAddress.Parse("127.0.0.9"), 5060), MaxChannels = 2 } },
            Campaigns = new Dictionary<string, Campaign> { ["spring"] = new() { Id = "spring", TrunkId = "carrier" } },
            AgentCampaigns = new Dictionary<string, IReadOnlyList<string>> { ["1001"] = ["spring"] },
        };
        var registrar = new Registrar(new RegistrarSettings(), _time);
        var registry = new CallRegistry();
        var router = new CallRouter(() => table, registrar, new PhoneNumberNormalizer("FR").TryNormalize, registry, _ => Agent.Local);
        var hashes = DigestAccountHashes.FromPassword("1001", Realm, "demo1001");
        var authenticator = new AgentAuthenticator(
            new DigestServer(new DigestServerOptions { Realm = Realm, Algorithms = [DigestAlgorithm.Md5] }, _time),
            new AuthFailureLimiter(new AuthFailureLimiterOptions(), _time),
            new AgentCredentialStore(new AgentDirectory([new AgentAccount("1001", null, hashes.Md5Ha1, hashes.Sha256Ha1)])),
            Logger.None,
            null);
        var calls = new CallContext
        {
            Transactions = _transactions,
            Transport = _transport,
            Relay = _relay,
            Clock = new MediaClock(_time),
            MediaAddress = IPAddress.Loopback,
            Listener = _ => Agent.Local,
            Registry = registry,
            Time = _time,
            Log = Logger.None,
        };
        user.Core = new SwitchCore(authenticator, registrar, ServerName, TextLog.Create(_log), router, calls);
    }

    [Fact]
    public void A484ForANumberTooShortSaysWhyInAWarningAndInTheLogWithoutTheNumber()
    {
        SipResponse response = AuthenticatedInvite("sip:0612345@127.0.0.1");

        Assert.Equal(484, response.StatusCode);
        Assert.Equal("Not A Valid Number", response.ReasonPhrase);
        Assert.Equal($"399 {ServerName} \"the number is too short for FR\"", response.Headers[HeaderId.Warning]);
        string refusal = Assert.Single(_log.ToString().Split('\n'), l => l.Contains("refused", StringComparison.Ordinal));
        Assert.Contains("484 Not A Valid Number: the number is too short for FR", refusal, StringComparison.Ordinal);
        Assert.Contains("sip:*****45@127.0.0.1", refusal, StringComparison.Ordinal);
        Assert.DoesNotContain("0612345", _log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ARefusalWithNothingMoreToSayHasNoWarningAndTheNumberIsMaskedToo()
    {
        SipResponse response = AuthenticatedInvite("sip:0612345670@127.0.0.1", extra: "X-Campaign: autumn");

        Assert.Equal(403, response.StatusCode);
        Assert.Null(response.Headers[HeaderId.Warning]);
        string refusal = Assert.Single(_log.ToString().Split('\n'), l => l.Contains("refused", StringComparison.Ordinal));
        Assert.Contains("sip:********70@127.0.0.1", refusal, StringComparison.Ordinal);
        Assert.DoesNotContain("0612345670", _log.ToString(), StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _relay.Dispose();
        _log.Dispose();
    }

    /// <summary>An agent's INVITE answered with its 407 challenge, then sent again with credentials: the final answer.</summary>
    private SipResponse AuthenticatedInvite(string uri, string call = "a", string? extra = null)
    {
        _transactions.OnMessage(Invite(uri, call, 1, null, extra), Agent);
        SipResponse challenge = Assert.Single(_transport.Responses(407), r => r.CallId == $"{call}@test");
        DigestClientResult answer = new DigestClient("1001", "demo1001").Answer([challenge.Headers[HeaderId.ProxyAuthenticate]!], "INVITE", uri);
        _transactions.OnMessage(Invite(uri, call, 2, answer.HeaderValue, extra), Agent);
        return _transport.Sent.Select(s => s.Message).OfType<SipResponse>().Last(r => r.CallId == $"{call}@test" && r.StatusCode >= 300 && r.StatusCode != 407);
    }

    private static SipRequest Invite(string uri, string call, int cseq, string? credentials, string? extra)
    {
        string text =
            $"INVITE {uri} SIP/2.0\r\n" +
            $"Via: SIP/2.0/UDP 127.0.0.1:40000;branch=z9hG4bK{call}{cseq}\r\n" +
            "Max-Forwards: 70\r\n" +
            $"From: <sip:1001@127.0.0.1>;tag={call}\r\n" +
            $"To: <{uri}>\r\n" +
            $"Call-ID: {call}@test\r\n" +
            $"CSeq: {cseq} INVITE\r\n" +
            "Contact: <sip:1001@127.0.0.1:40000>\r\n" +
            (credentials is null ? string.Empty : $"Proxy-Authorization: {credentials}\r\n") +
            (extra is null ? string.Empty : extra + "\r\n") +
            "Content-Length: 0\r\n\r\n";
        return (SipRequest)new SipMessageParser().Parse(Encoding.UTF8.GetBytes(text));
    }

    /// <summary>The layer needs its user before the core exists, and the core needs the layer (through the call context).</summary>
    private sealed class DeferredUser : ISipTransactionUser
    {
        public SwitchCore? Core { get; set; }

        public void OnRequest(ServerTransaction transaction) => Core!.OnRequest(transaction);

        public void OnCancel(InviteServerTransaction invite, SipRequest cancel) => Core!.OnCancel(invite, cancel);

        public void OnAck(SipRequest ack, SipFlow flow) => Core!.OnAck(ack, flow);

        public void OnStrayResponse(SipResponse response, SipFlow flow) => Core!.OnStrayResponse(response, flow);
    }
}
