using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Text;
using CallSwitch.Calls.Media;
using CallSwitch.Calls.Registration;
using CallSwitch.Calls.Routing;
using CallSwitch.Calls.Sessions;
using CallSwitch.Compliance.Numbers;
using CallSwitch.Sip.Messages;
using CallSwitch.Sip.Parsing;
using CallSwitch.Sip.Transport;
using Microsoft.Extensions.Time.Testing;

namespace CallSwitch.Calls.Tests.Routing;

public class CallRouterTests
{
    private static readonly IPEndPoint Us = new(IPAddress.Loopback, 5060);
    private static readonly IPEndPoint CarrierAddress = new(IPAddress.Parse("127.0.0.9"), 5060);
    private readonly CallRegistry _registry = new();
    private readonly Registrar _registrar = new(new RegistrarSettings(), new FakeTimeProvider());
    private readonly CallRouter _router;
    private readonly RoutingTable _table;

    public CallRouterTests()
    {
        var table = new RoutingTable
        {
            Trunks = new Dictionary<string, Trunk>
            {
                ["carrier"] = new() { Id = "carrier", Host = "sip.carrier.example", EndPoint = CarrierAddress, CallerId = "+33100000000", MaxChannels = 2 },
                ["backup"] = new() { Id = "backup", Host = "127.0.0.10", EndPoint = new IPEndPoint(IPAddress.Parse("127.0.0.10"), 5080), Protocol = SipProtocol.Tcp, MaxChannels = 1 },
            },
            Campaigns = new Dictionary<string, Campaign>
            {
                ["spring"] = new() { Id = "spring", TrunkId = "carrier", CallerId = "+33199999999" },
                ["autumn"] = new() { Id = "autumn", TrunkId = "backup", DialPrefix = "801", AllowHeaderOverride = true },
                ["secret"] = new() { Id = "secret", TrunkId = "backup" },
            },
            AgentCampaigns = new Dictionary<string, IReadOnlyList<string>>
            {
                ["1001"] = ["spring", "autumn", "secret"],
                ["1002"] = ["spring"],
            },
            Teams = new Dictionary<string, IReadOnlyList<string>> { ["sales"] = ["1002", "1001"] },
            Inbound = new Dictionary<string, InboundRoute>
            {
                ["+33140000000"] = new("+33140000000", "1001", null, "spring"),
                ["+33140000001"] = new("+33140000001", null, "sales", null),
            },
        };
        _table = table;
        _router = new CallRouter(() => table, _registrar, Normalize, _registry, _ => Us);
    }

    [Fact]
    public void AgentsDefaultCampaignPicksTrunkCallerIdAndE164Number()
    {
        RouteDecision decision = _router.RouteOutbound(Invite("sip:0612345678@127.0.0.1"), "1001");

        CallPlan plan = decision.Plan!;
        Assert.Equal("spring", plan.CampaignId);
        Assert.Equal("+33612345678", plan.ProspectNumber);
        Assert.Equal("sip:+33612345678@sip.carrier.example", plan.CalleeUri.ToString());
        Assert.Equal(CarrierAddress, plan.CalleeFlow.Remote);
        Assert.Equal("sip:+33199999999@sip.carrier.example", plan.CalleeFrom.Uri.ToString());
        Assert.Equal(CallParty.Agent, plan.Caller);
        Assert.Equal(1, _registry.ChannelsInUse("carrier"));
    }

    [Fact]
    public void ThePrivatePrefixIsStrippedAndMakesAPrivateCallWithoutCampaignNoticeOrRule()
    {
        var rule = new CallSwitch.Compliance.Rules.RecordingRule { CampaignId = "spring", Mode = CallSwitch.Compliance.Rules.RecordingMode.Always };
        var table = new RoutingTable
        {
            Trunks = new Dictionary<string, Trunk> { ["carrier"] = new() { Id = "carrier", Host = "sip.carrier.example", EndPoint = CarrierAddress, MaxChannels = 2 } },
            Campaigns = new Dictionary<string, Campaign> { ["spring"] = new() { Id = "spring", TrunkId = "carrier", CallerId = "+33199999999", Recording = rule, AgentHearsAnnouncement = true } },
            AgentCampaigns = new Dictionary<string, IReadOnlyList<string>> { ["1001"] = ["spring"], ["1002"] = ["spring"] },
            PrivatePrefixes = new Dictionary<string, string> { ["1001"] = "*70" },
        };
        var router = new CallRouter(() => table, _registrar, Normalize, _registry, _ => Us);

        CallPlan plan = router.RouteOutbound(Invite("sip:*700612345678@127.0.0.1"), "1001").Plan!;
        Assert.True(plan.Private);
        Assert.Equal("+33612345678", plan.ProspectNumber);
        Assert.Equal("sip:+33612345678@sip.carrier.example", plan.CalleeUri.ToString());
        Assert.Equal((null, null, false, null), (plan.CampaignId, plan.Announcement, plan.AgentHearsAnnouncement, plan.Recording));

        CallPlan ordinary = router.RouteOutbound(Invite("sip:0612345678@127.0.0.1"), "1001").Plan!;
        Assert.Equal((false, "spring", rule), (ordinary.Private, ordinary.CampaignId, ordinary.Recording));

        // Another agent's digits are just digits: 1002 has no private prefix.
        Assert.Equal(484, router.RouteOutbound(Invite("sip:*700612345678@127.0.0.1"), "1002").Status);
    }

    [Fact]
    public void DialPrefixSelectsAnotherOfTheAgentsCampaignsAndIsStripped()
    {
        CallPlan plan = _router.RouteOutbound(Invite("sip:8010612345678@127.0.0.1"), "1001").Plan!;

        Assert.Equal("autumn", plan.CampaignId);
        Assert.Equal("+33612345678", plan.ProspectNumber);
        Assert.Equal("sip:+33612345678@127.0.0.10:5080;transport=tcp", plan.CalleeUri.ToString());
        Assert.Equal(SipProtocol.Tcp, plan.CalleeFlow.Protocol);
    }

    [Fact]
    public void HeaderOverrideOnlyWhereTheCampaignAllowsIt()
    {
        Assert.Equal("autumn", _router.RouteOutbound(Invite("sip:0612345678@127.0.0.1", "X-Campaign: autumn"), "1001").Plan!.CampaignId);

        RouteDecision notAllowed = _router.RouteOutbound(Invite("sip:0612345678@127.0.0.1", "X-Campaign: secret"), "1001");
        Assert.Equal(403, notAllowed.Status);

        RouteDecision notTheirs = _router.RouteOutbound(Invite("sip:0612345678@127.0.0.1", "X-Campaign: autumn"), "1002");
        Assert.Equal(403, notTheirs.Status);
    }

    [Theory]
    [InlineData("sip:12@127.0.0.1", 484)]
    [InlineData("sip:hello@127.0.0.1", 484)]
    [InlineData("sip:@127.0.0.1", 484)]
    public void RefusesNumbersThatAreNotNumbers(string uri, int status)
    {
        Assert.Equal(status, _router.RouteOutbound(Invite(uri), "1001").Status);
        Assert.Equal(0, _registry.ChannelsInUse("carrier"));
    }

    [Theory]
    [InlineData("sip:061234@127.0.0.1", "the number is too short for FR")]
    [InlineData("sip:+3361234567890123@127.0.0.1", "the number is too long for FR")]
    public void ANumberRefusedWith484SaysWhyInTheNormalisersWords(string uri, string why)
    {
        var table = new RoutingTable
        {
            Trunks = new Dictionary<string, Trunk> { ["carrier"] = new() { Id = "carrier", Host = "sip.carrier.example", EndPoint = CarrierAddress, MaxChannels = 2 } },
            Campaigns = new Dictionary<string, Campaign> { ["spring"] = new() { Id = "spring", TrunkId = "carrier" } },
            AgentCampaigns = new Dictionary<string, IReadOnlyList<string>> { ["1001"] = ["spring"] },
        };
        var router = new CallRouter(() => table, _registrar, new PhoneNumberNormalizer("FR").TryNormalize, _registry, _ => Us);

        RouteDecision decision = router.RouteOutbound(Invite(uri), "1001");

        Assert.Equal((484, "Not A Valid Number"), (decision.Status, decision.Reason));
        Assert.Equal(why, decision.Detail);
    }

    [Fact]
    public void AgentWithoutCampaignIsRefused() =>
        Assert.Equal(403, _router.RouteOutbound(Invite("sip:0612345678@127.0.0.1"), "1003").Status);

    [Fact]
    public void TrunkChannelLimitIsEnforcedAndReleased()
    {
        Assert.NotNull(_router.RouteOutbound(Invite("sip:0612345678@127.0.0.1"), "1001").Plan);
        Assert.NotNull(_router.RouteOutbound(Invite("sip:0612345679@127.0.0.1"), "1001").Plan);

        RouteDecision third = _router.RouteOutbound(Invite("sip:0612345670@127.0.0.1"), "1001");
        Assert.Equal(503, third.Status);

        _registry.ReleaseChannel("carrier");
        Assert.NotNull(_router.RouteOutbound(Invite("sip:0612345670@127.0.0.1"), "1001").Plan);
    }

    [Fact]
    public async Task ATrunkWhoseCallsAllEndedTakesNewCalls()
    {
        // Once every channel was given back the trunk's count sits at 0; taking one must not spin.
        Assert.True(_registry.TryTakeChannel("carrier", 2));
        _registry.ReleaseChannel("carrier");
        Assert.Equal(0, _registry.ChannelsInUse("carrier"));

        bool taken = await Task.Run(() => _registry.TryTakeChannel("carrier", 2)).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(taken);
        Assert.Equal(1, _registry.ChannelsInUse("carrier"));
        Assert.NotNull(_router.RouteOutbound(Invite("sip:0612345670@127.0.0.1"), "1001").Plan);
        Assert.Equal(2, _registry.ChannelsInUse("carrier"));
    }

    [Fact]
    public void RecognisesTheTrunkByAddressAndPortOverUdpAndAddressOverTcp()
    {
        Assert.Equal("carrier", _router.FindTrunk(new SipFlow(SipProtocol.Udp, Us, CarrierAddress))?.Id);
        Assert.Null(_router.FindTrunk(new SipFlow(SipProtocol.Udp, Us, new IPEndPoint(CarrierAddress.Address, 40000))));
        Assert.Equal("backup", _router.FindTrunk(new SipFlow(SipProtocol.Tcp, Us, new IPEndPoint(IPAddress.Parse("127.0.0.10"), 51234)))?.Id);
    }

    [Fact]
    public void InboundCallReachesTheRegisteredAgentOfTheDid()
    {
        var agentFlow = new SipFlow(SipProtocol.Tcp, Us, new IPEndPoint(IPAddress.Loopback, 47000));
        RegisterAgent("1001", agentFlow);
        Trunk carrier = _router.FindTrunk(new SipFlow(SipProtocol.Udp, Us, CarrierAddress))!;

        CallPlan plan = _router.RouteInbound(Invite("sip:+33140000000@127.0.0.1", from: "<sip:0612345678@sip.carrier.example>;tag=c1"), carrier).Plan!;

        Assert.Equal(CallParty.Prospect, plan.Caller);
        Assert.Equal("1001", plan.Agent);
        Assert.Equal("+33612345678", plan.ProspectNumber);
        Assert.Equal(agentFlow, plan.CalleeFlow);
        Assert.Equal("sip:1001-0xabc@127.0.0.1:47000;transport=tcp", plan.CalleeUri.ToString());
        Assert.Equal("spring", plan.CampaignId);
    }

    [Fact]
    public void InboundToATeamTakesARegisteredMemberAndRefusesWhenNobodyIs()
    {
        Trunk carrier = _router.FindTrunk(new SipFlow(SipProtocol.Udp, Us, CarrierAddress))!;
        Assert.Equal(480, _router.RouteInbound(Invite("sip:+33140000001@127.0.0.1"), carrier).Status);

        RegisterAgent("1001", new SipFlow(SipProtocol.Udp, Us, new IPEndPoint(IPAddress.Loopback, 47002)));
        Assert.Equal("1001", _router.RouteInbound(Invite("sip:+33140000001@127.0.0.1"), carrier).Plan!.Agent);
        Assert.Equal(404, _router.RouteInbound(Invite("sip:+33149999999@127.0.0.1"), carrier).Status);
    }

    [Fact]
    public void AnAgentsCallToANumberOnTheDoNotCallListIsDeclinedWithoutTakingATrunkChannel()
    {
        var router = new CallRouter(() => _table, _registrar, Normalize, _registry, _ => Us) { DoNotCall = new ListedNumbers(("+33612345678", null), ("+33698765432", "autumn")) };

        RouteDecision declined = router.RouteOutbound(Invite("sip:0612345678@127.0.0.1"), "1001");

        Assert.Null(declined.Plan);
        Assert.Equal(603, declined.Status);
        Assert.Equal("Decline", declined.Reason);
        Assert.Equal(CallRouter.DoNotCallWarning, declined.Detail);
        Assert.DoesNotContain("612345678", declined.Detail, StringComparison.Ordinal);
        Assert.Equal(0, _registry.ChannelsInUse("carrier"));

        // Listed for one campaign only: called in another, declined in that one.
        Assert.Equal("spring", router.RouteOutbound(Invite("sip:0698765432@127.0.0.1"), "1001").Plan!.CampaignId);
        Assert.Equal(603, router.RouteOutbound(Invite("sip:8010698765432@127.0.0.1"), "1001").Status);
    }

    [Fact]
    public void ACallFromANumberOnTheDoNotCallListIsTakenButNeverRecorded()
    {
        var rule = new Compliance.Rules.RecordingRule { CampaignId = "spring", Mode = Compliance.Rules.RecordingMode.Always, Purposes = ["training"], RetentionDays = 30 };
        var table = new RoutingTable
        {
            Trunks = _table.Trunks,
            Campaigns = new Dictionary<string, Campaign> { ["spring"] = new() { Id = "spring", TrunkId = "carrier", Recording = rule } },
            AgentCampaigns = _table.AgentCampaigns,
            Inbound = _table.Inbound,
        };
        var router = new CallRouter(() => table, _registrar, Normalize, _registry, _ => Us) { DoNotCall = new ListedNumbers(("+33612345678", null)) };
        RegisterAgent("1001", new SipFlow(SipProtocol.Udp, Us, new IPEndPoint(IPAddress.Loopback, 47003)));
        Trunk carrier = router.FindTrunk(new SipFlow(SipProtocol.Udp, Us, CarrierAddress))!;

        CallPlan listed = router.RouteInbound(Invite("sip:+33140000000@127.0.0.1", from: "<sip:0612345678@sip.carrier.example>;tag=c1"), carrier).Plan!;
        CallPlan other = router.RouteInbound(Invite("sip:+33140000000@127.0.0.1", from: "<sip:0611111111@sip.carrier.example>;tag=c2"), carrier).Plan!;

        Assert.Equal("1001", listed.Agent);
        Assert.Null(listed.Recording);
        Assert.Same(rule, other.Recording);
    }

    private void RegisterAgent(string user, SipFlow flow)
    {
        string text = $"REGISTER sip:127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:47000;branch=z9hG4bKr\r\nFrom: <sip:{user}@127.0.0.1>;tag=r\r\nTo: <sip:{user}@127.0.0.1>\r\nCall-ID: reg-{user}\r\nCSeq: 1 REGISTER\r\nContact: <sip:{user}-0xabc@127.0.0.1:47000;transport=tcp>\r\nContent-Length: 0\r\n\r\n";
        var result = _registrar.Register((SipRequest)new SipMessageParser().Parse(Encoding.UTF8.GetBytes(text)), flow, user);
        Assert.True(result.IsSuccess);
    }

    private static SipRequest Invite(string uri, string? extra = null, string from = "<sip:1001@127.0.0.1>;tag=a")
    {
        string text = $"INVITE {uri} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:40000;branch=z9hG4bKx\r\nFrom: {from}\r\nTo: <{uri}>\r\nCall-ID: c1\r\nCSeq: 1 INVITE\r\nMax-Forwards: 70\r\n{(extra is null ? string.Empty : extra + "\r\n")}Content-Length: 0\r\n\r\n";
        return (SipRequest)new SipMessageParser().Parse(Encoding.UTF8.GetBytes(text));
    }

    private static bool Normalize(string digits, [NotNullWhen(true)] out string? e164, [NotNullWhen(false)] out string? reason)
    {
        e164 = digits switch
        {
            _ when digits.StartsWith('+') && digits.Length >= 10 => digits,
            _ when digits.StartsWith('0') && digits.Length == 10 => "+33" + digits[1..],
            _ => null,
        };
        reason = e164 is null ? "not a number of this test" : null;
        return e164 is not null;
    }
}
