using CallSwitch.Calls.Control;
using CallSwitch.Calls.Sessions;
using CallSwitch.Calls.Supervision;
using CallSwitch.Calls.Tests.Control;
using CallSwitch.Compliance.Storage;
using CallSwitch.Media.Codecs;
using CallSwitch.Media.Mixing;
using CallSwitch.Media.Relay;
using Serilog.Core;

namespace CallSwitch.Calls.Tests.Supervision;

/// <summary>Supervisors joined to real calls (driven in-process by <see cref="LoopbackCalls"/>) through the call-control façade: outcomes, modes, ends, audit.</summary>
[Collection(LoopbackCalls.SupervisionCollection)]
public sealed class SupervisionServiceTests : IAsyncDisposable
{
    private const string Supervisor = "1003";
    private static readonly MixFormat Pcmu = new(AudioCodecInfo.Pcmu, 0);
    private readonly LoopbackCalls _calls = new(supervision: true);
    private readonly MemoryAuditLog _audit = new();
    private readonly List<RelayEndpoint> _endpoints = [];
    private readonly CallControl _control;

    public SupervisionServiceTests()
    {
        var service = new SupervisionService(
            new TeamSupervisionPolicy(() => TeamSupervisionPolicyTests.Agents),
            new SupervisionAudit(_audit, _calls.Time, Logger.None),
            _calls.Time);
        _control = new CallControl(_calls.Registry, service);
    }

    public async ValueTask DisposeAsync()
    {
        // The end points first: their ports are free even if a call is slow to end.
        foreach (RelayEndpoint endpoint in _endpoints)
        {
            endpoint.Dispose();
        }

        await _calls.DisposeAsync();
    }

    [Fact]
    public async Task ASupervisorJoinsTheAgentsAnsweredCallAndTheStartIsAudited()
    {
        var call = await AnsweredCallAsync();

        SupervisionJoin join = _control.JoinSupervisor(Request(Supervisor, SupervisionMode.Listen));

        Assert.Equal(SupervisionJoinOutcome.Joined, join.Outcome);
        SupervisionSession session = join.Session!;
        Assert.Equal((call.Call.Id, Supervisor, LoopbackCalls.Agent, SupervisionMode.Listen), (session.CallId, session.Supervisor, session.Agent, session.Mode));
        Assert.Same(session, Assert.Single(_control.SupervisionsOf(call.Call.Id)));
        AuditEvent started = Assert.Single(_audit.Events);
        Assert.Equal((Supervisor, AuditAction.SupervisionStarted, (Guid?)null), (started.Actor, started.Action, started.RecordingId));
        Assert.Equal($"call={call.Call.Id} agent=1001 mode=listen", started.Detail);

        // Listening changes nothing for the parties: both directions stay forwarded.
        Assert.True(call.Call.Media!.Session.IsForwarding(RelayLegId.A));
        Assert.True(call.Call.Media.Session.IsForwarding(RelayLegId.B));
    }

    [Fact]
    public async Task AnAgentWithoutAnAnsweredCallIsReportedAsSuch()
    {
        Assert.Equal(SupervisionJoinOutcome.AgentNotInCall, _control.JoinSupervisor(Request(Supervisor, SupervisionMode.Listen)).Outcome);

        var ringing = await _calls.DialAsync(LoopbackCalls.Plan(null));
        await _calls.CalleeAnswersAsync(ringing, 180);
        SupervisionJoin join = _control.JoinSupervisor(Request(Supervisor, SupervisionMode.Barge));
        Assert.Equal(SupervisionJoinOutcome.AgentNotInCall, join.Outcome);
        Assert.Null(join.Session);
        Assert.Empty(_audit.Events);
    }

    [Fact]
    public async Task DuringTheNoticeTheCallIsNotYetOpenToSupervisorsButOnHoldItIs()
    {
        var noticed = await _calls.DialAsync(LoopbackCalls.Plan(null, _calls.Notice()));
        await _calls.CalleeAnswersAsync(noticed, 200);
        await LoopbackCalls.WaitAsync(() => _control.Find(noticed.Call.Id)!.Phase == CallPhase.Notice);
        Assert.Equal(SupervisionJoinOutcome.AgentNotInCall, _control.JoinSupervisor(Request(Supervisor, SupervisionMode.Whisper)).Outcome);
        await _calls.HangUpAllAsync();

        var held = await AnsweredCallAsync();
        await _calls.AgentHoldsAsync(held);
        await LoopbackCalls.WaitAsync(() => _control.Find(held.Call.Id)!.Phase == CallPhase.OnHold);
        Assert.Equal(SupervisionJoinOutcome.Joined, _control.JoinSupervisor(Request(Supervisor, SupervisionMode.Whisper)).Outcome);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task OnlyBargingSpansReachTheRecordingAndOnlyWhenTheCampaignSaysSo(bool includeBarge)
    {
        var rule = new CallSwitch.Compliance.Rules.RecordingRule
        {
            CampaignId = "spring",
            Mode = CallSwitch.Compliance.Rules.RecordingMode.Always,
            Purposes = ["quality"],
            LegalBasis = CallSwitch.Compliance.Rules.LegalBasis.LegitimateInterest,
            IncludeBarge = includeBarge,
        };
        var call = await _calls.DialAsync(LoopbackCalls.Plan(rule));
        await _calls.CalleeAnswersAsync(call, 200);
        await LoopbackCalls.WaitAsync(() => call.Call.RecordingLink.Control?.IsRecording == true);
        SupervisionSession session = _control.JoinSupervisor(Request(Supervisor, SupervisionMode.Listen)).Session!;

        _calls.Advance(TimeSpan.FromSeconds(2));
        session.SwitchMode(SupervisionMode.Whisper);
        _calls.Advance(TimeSpan.FromSeconds(2));
        session.SwitchMode(SupervisionMode.Barge);
        _calls.Advance(TimeSpan.FromSeconds(3));
        session.SwitchMode(SupervisionMode.Listen);
        _calls.Advance(TimeSpan.FromSeconds(1));
        session.SwitchMode(SupervisionMode.Barge);

        var spans = call.Call.RecordingLink.Control!.BargeSpans();
        if (includeBarge)
        {
            Assert.Equal(2, spans.Count);
            Assert.Equal(TimeSpan.FromSeconds(3), spans[0].End - spans[0].Start);
            Assert.Equal(TimeSpan.FromSeconds(1), spans[1].Start - spans[0].End);
            Assert.Null(spans[1].End);
        }
        else
        {
            Assert.Empty(spans);
        }
    }

    [Fact]
    public async Task WithNotifyAgentTheAgentHearsAShortToneWhenASupervisorJoins()
    {
        var call = await AnsweredCallAsync();
        var control = new CallControl(
            _calls.Registry,
            new SupervisionService(new TeamSupervisionPolicy(() => TeamSupervisionPolicyTests.Agents), new SupervisionAudit(_audit, _calls.Time, Logger.None), _calls.Time, notifyAgent: true));

        Assert.Equal(SupervisionJoinOutcome.Joined, control.JoinSupervisor(Request(Supervisor, SupervisionMode.Listen)).Outcome);

        // The agent's direction carries the tone (mixed), then goes back to forwarding.
        Assert.False(call.Call.Media!.Session.IsForwarding(RelayLegId.B));
        _calls.Advance(SupervisionService.AgentToneLength);
        Assert.True(call.Call.Media.Session.IsForwarding(RelayLegId.B));
        Assert.True(call.Call.Media.Session.IsForwarding(RelayLegId.A));
    }

    [Fact]
    public async Task TheAgentPuttingTheProspectOnHoldTakesBargersOffTheProspectAndKeepsEverySupervisorOn()
    {
        var call = await AnsweredCallAsync();
        SupervisionSession barging = _control.JoinSupervisor(Request(Supervisor, SupervisionMode.Barge)).Session!;
        Assert.False(call.Call.Media!.Session.IsForwarding(RelayLegId.A)); // the prospect hears the mix

        await _calls.AgentHoldsAsync(call);
        await LoopbackCalls.WaitAsync(() => _control.Find(call.Call.Id)!.Phase == CallPhase.OnHold);

        // Held: the prospect's direction is forwarded again (what the agent's phone sends), the
        // agent's stays mixed, the session goes on in barge.
        Assert.True(call.Call.Media.Session.IsForwarding(RelayLegId.A));
        Assert.False(call.Call.Media.Session.IsForwarding(RelayLegId.B));
        Assert.False(barging.HasEnded);
        Assert.Equal(SupervisionMode.Barge, barging.Mode);

        // A supervisor who joins the held call in barge does not reach the prospect either.
        SupervisionSession second = _control.JoinSupervisor(Request("1005", SupervisionMode.Barge)).Session!;
        Assert.True(call.Call.Media.Session.IsForwarding(RelayLegId.A));
        Assert.Equal([barging, second], _control.SupervisionsOf(call.Call.Id));
        Assert.True(_control.Find(call.Call.Id)!.IsAnswered);
    }

    [Fact]
    public async Task ASupervisorOfAnotherTeamIsRefusedAuditedAndLearnsNothingOfTheCall()
    {
        var call = await AnsweredCallAsync();

        SupervisionJoin join = _control.JoinSupervisor(Request("1004", SupervisionMode.Listen));

        Assert.Equal(SupervisionJoinOutcome.Refused, join.Outcome);
        Assert.Null(join.Session);
        Assert.Empty(_control.SupervisionsOf(call.Call.Id));
        AuditEvent refused = Assert.Single(_audit.Events);
        Assert.Equal(("1004", AuditAction.SupervisionRefused), (refused.Actor, refused.Action));
        Assert.Contains("agent=1001 mode=listen", refused.Detail, StringComparison.Ordinal);
        Assert.Contains("team lyon", refused.Detail, StringComparison.Ordinal);

        // Refused before the calls are looked at: the same answer whether the agent is on a call or not.
        await _calls.HangUpAllAsync();
        Assert.Equal(SupervisionJoinOutcome.Refused, _control.JoinSupervisor(Request("1004", SupervisionMode.Listen)).Outcome);
    }

    [Fact]
    public async Task ModeSwitchesAreAppliedToTheMediaAndAuditedWithTheirTimes()
    {
        var call = await AnsweredCallAsync();
        SupervisionSession session = _control.JoinSupervisor(Request(Supervisor, SupervisionMode.Listen)).Session!;
        DateTimeOffset start = _calls.Now;

        _calls.Advance(TimeSpan.FromSeconds(3));
        Assert.True(session.SwitchMode(SupervisionMode.Whisper));
        Assert.False(call.Call.Media!.Session.IsForwarding(RelayLegId.B)); // the agent hears a mix
        Assert.True(call.Call.Media.Session.IsForwarding(RelayLegId.A));   // the prospect does not
        _calls.Advance(TimeSpan.FromSeconds(2));
        Assert.True(session.SwitchMode(SupervisionMode.Barge));
        Assert.False(call.Call.Media.Session.IsForwarding(RelayLegId.A));

        Assert.Equal([(start, SupervisionMode.Listen), (start.AddSeconds(3), SupervisionMode.Whisper), (start.AddSeconds(5), SupervisionMode.Barge)], session.Modes);
        Assert.Equal(
            [AuditAction.SupervisionStarted, AuditAction.SupervisionModeChanged, AuditAction.SupervisionModeChanged],
            _audit.Events.Select(e => e.Action));
        Assert.Equal($"call={call.Call.Id} agent=1001 from=whisper to=barge", _audit.Events[^1].Detail);
        Assert.Equal(start.AddSeconds(5), _audit.Events[^1].At);
    }

    [Fact]
    public async Task TheSupervisorHangingUpLeavesTheCallAsItWas()
    {
        var call = await AnsweredCallAsync();
        SupervisionSession session = _control.JoinSupervisor(Request(Supervisor, SupervisionMode.Barge)).Session!;
        bool told = false;
        session.CallEnded += _ => told = true;
        _calls.Advance(TimeSpan.FromSeconds(42));

        session.Leave();

        Assert.True(session.HasEnded);
        Assert.False(told);
        Assert.False(session.SwitchMode(SupervisionMode.Listen));
        Assert.Empty(_control.SupervisionsOf(call.Call.Id));
        Assert.True(call.Call.Media!.Session.IsForwarding(RelayLegId.A));
        Assert.True(call.Call.Media.Session.IsForwarding(RelayLegId.B));
        Assert.True(_control.Find(call.Call.Id)!.IsAnswered);
        AuditEvent ended = _audit.Events[^1];
        Assert.Equal(AuditAction.SupervisionEnded, ended.Action);
        Assert.Equal($"call={call.Call.Id} agent=1001 duration_ms=42000 end=supervisor left", ended.Detail);
    }

    [Fact]
    public async Task TheCallEndingEndsEverySupervisorsSession()
    {
        await AnsweredCallAsync();
        SupervisionSession first = _control.JoinSupervisor(Request(Supervisor, SupervisionMode.Whisper)).Session!;
        SupervisionSession second = _control.JoinSupervisor(Request("1005", SupervisionMode.Listen)).Session!;
        var told = new List<string>();
        first.CallEnded += s => { lock (told) { told.Add(s.Supervisor); } };
        second.CallEnded += s => { lock (told) { told.Add(s.Supervisor); } };

        await _calls.HangUpAllAsync();

        Assert.Equal(["1003", "1005"], told.Order());
        Assert.True(first.HasEnded && second.HasEnded);
        Assert.Equal(2, _audit.Events.Count(e => e.Action == AuditAction.SupervisionEnded && e.Detail!.EndsWith("end=call ended", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task ASwitchTheSupervisorMayNoLongerMakeIsRefusedAndAudited()
    {
        await AnsweredCallAsync();
        var policy = new SwitchablePolicy();
        var control = new CallControl(_calls.Registry, new SupervisionService(policy, new SupervisionAudit(_audit, _calls.Time, Logger.None), _calls.Time));
        SupervisionSession session = control.JoinSupervisor(Request(Supervisor, SupervisionMode.Listen)).Session!;

        policy.AllowBarge = false;
        Assert.False(session.SwitchMode(SupervisionMode.Barge));

        Assert.Equal(SupervisionMode.Listen, session.Mode);
        Assert.Equal(AuditAction.SupervisionRefused, _audit.Events[^1].Action);
    }

    private async Task<LoopbackCalls.LoopbackCall> AnsweredCallAsync()
    {
        var call = await _calls.DialAsync(LoopbackCalls.Plan(null));
        await _calls.CalleeAnswersAsync(call, 200);
        return call;
    }

    private SupervisorRequest Request(string supervisor, SupervisionMode mode)
    {
        RelayEndpoint endpoint = _calls.CreateEndpoint();
        _endpoints.Add(endpoint);
        return new SupervisorRequest(supervisor, LoopbackCalls.Agent, mode, Pcmu, endpoint);
    }

    private sealed class SwitchablePolicy : ISupervisionPolicy
    {
        public bool AllowBarge { get; set; } = true;

        public SupervisionDecision Decide(string supervisor, string agent, SupervisionMode mode) =>
            mode != SupervisionMode.Barge || AllowBarge ? SupervisionDecision.Allow("test") : SupervisionDecision.Refuse("no barging today");
    }
}
