using System.Text.Json;
using CallSwitch.Calls.Control;
using CallSwitch.Calls.Recording;
using CallSwitch.Calls.Sessions;
using CallSwitch.Compliance.Rules;
using CallSwitch.Compliance.Storage;

namespace CallSwitch.Calls.Tests.Control;

/// <summary>The call-control façade over real calls (driven in-process by <see cref="LoopbackCalls"/>): snapshots, look-ups, recording actions and their outcomes, change events.</summary>
[Collection(LoopbackCalls.Collection)]
public sealed class CallControlTests : IAsyncDisposable
{
    private static readonly RecordingRule Always = new() { CampaignId = "spring", Mode = RecordingMode.Always, Purposes = ["quality"], LegalBasis = LegalBasis.LegitimateInterest };
    private static readonly RecordingRule OnDemand = Always with { Mode = RecordingMode.OnDemand };
    private readonly LoopbackCalls _calls = new();
    private readonly CallControl _control;

    public CallControlTests()
    {
        _control = new CallControl(_calls.Registry);
    }

    public ValueTask DisposeAsync() => _calls.DisposeAsync();

    [Fact]
    public async Task ASnapshotFollowsTheCallFromDiallingToConnectedAndNeverHoldsTheNumber()
    {
        DateTimeOffset dialled = _calls.Now;
        var call = await _calls.DialAsync(LoopbackCalls.Plan(Always));

        LiveCallSnapshot first = Assert.Single(_control.List());
        Assert.Equal(
            new LiveCallSnapshot(call.Call.Id, LoopbackCalls.Agent, "spring", CallDirection.Outbound, CallPhase.Dialling, dialled, null, RecordingState.Off),
            first);

        await _calls.CalleeAnswersAsync(call, 180);
        Assert.Equal(CallPhase.Ringing, _control.Find(call.Call.Id)!.Phase);

        _calls.Advance(TimeSpan.FromSeconds(2));
        await _calls.CalleeAnswersAsync(call, 200);
        LiveCallSnapshot answered = _control.Find(call.Call.Id)!;
        Assert.Equal((CallPhase.Connected, dialled, dialled.AddSeconds(2), RecordingState.Recording), (answered.Phase, answered.StartedAt, answered.AnsweredAt, answered.Recording));
        Assert.True(answered.IsAnswered);

        // The snapshot as a console would serialise it: no number, in any form.
        string json = JsonSerializer.Serialize(_control.List());
        Assert.DoesNotContain("612345678", json, StringComparison.Ordinal);
        Assert.DoesNotContain("612345678", answered.ToString(), StringComparison.Ordinal);

        // A caller allowed to see the number asks for it by name.
        Assert.True(_control.TryGetProspectNumber(call.Call.Id, out string number));
        Assert.Equal(LoopbackCalls.Number, number);
        Assert.False(_control.TryGetProspectNumber("no-such-call", out _));
    }

    [Fact]
    public async Task LookUpsFindACallByIdAndOnlyTheAgentsAnsweredCalls()
    {
        var ringing = await _calls.DialAsync(LoopbackCalls.Plan(null));
        await _calls.CalleeAnswersAsync(ringing, 180);
        _calls.Advance(TimeSpan.FromSeconds(1));
        var answered = await _calls.DialAsync(LoopbackCalls.Plan(null));
        await _calls.CalleeAnswersAsync(answered, 200);

        Assert.Equal([ringing.Call.Id, answered.Call.Id], _control.List().Select(c => c.Id));
        Assert.Equal(CallPhase.Ringing, _control.Find(ringing.Call.Id)!.Phase);
        Assert.Null(_control.Find("no-such-call"));
        Assert.Equal(answered.Call.Id, Assert.Single(_control.AnsweredCallsOf(LoopbackCalls.Agent)).Id);
        Assert.Empty(_control.AnsweredCallsOf("1002"));

        await _calls.HangUpAllAsync();
        Assert.Empty(_control.List());
        Assert.Null(_control.Find(answered.Call.Id));
        Assert.Empty(_control.AnsweredCallsOf(LoopbackCalls.Agent));
    }

    [Fact]
    public async Task TheNoticeAndAHoldAreShownAsPhases()
    {
        var noticed = await _calls.DialAsync(LoopbackCalls.Plan(null, _calls.Notice()));
        await _calls.CalleeAnswersAsync(noticed, 200);
        var held = await _calls.DialAsync(LoopbackCalls.Plan(null));
        await _calls.CalleeAnswersAsync(held, 200);
        Assert.Equal(CallPhase.Connected, _control.Find(held.Call.Id)!.Phase);

        await _calls.AgentHoldsAsync(held);

        Assert.Equal(CallPhase.Notice, _control.Find(noticed.Call.Id)!.Phase);
        Assert.False(_control.Find(noticed.Call.Id)!.AnsweredAt is null);
        Assert.Equal(CallPhase.OnHold, _control.Find(held.Call.Id)!.Phase);
        Assert.Equal(2, _control.AnsweredCallsOf(LoopbackCalls.Agent).Count);
    }

    [Fact]
    public async Task PauseResumeAndOpposeSayDoneThenAlreadySoAndNothingAppliesAfterTheRefusal()
    {
        var call = await _calls.DialAsync(LoopbackCalls.Plan(Always));
        await _calls.CalleeAnswersAsync(call, 200);
        string id = call.Call.Id;

        Assert.Equal((RecordingActionOutcome.AlreadySo, RecordingState.Recording), Outcome(_control.StartRecording(id)));
        Assert.Equal((RecordingActionOutcome.Done, RecordingState.Paused), Outcome(_control.PauseRecording(id)));
        Assert.Equal((RecordingActionOutcome.AlreadySo, RecordingState.Paused), Outcome(_control.PauseRecording(id)));
        Assert.Equal((RecordingActionOutcome.NotApplicable, RecordingState.Paused), Outcome(_control.StartRecording(id)));
        Assert.Equal((RecordingActionOutcome.Done, RecordingState.Recording), Outcome(_control.ResumeRecording(id)));
        Assert.Equal((RecordingActionOutcome.AlreadySo, RecordingState.Recording), Outcome(_control.ResumeRecording(id)));
        Assert.Equal((RecordingActionOutcome.Done, RecordingState.Refused), Outcome(_control.OpposeRecording(id, OppositionSource.Prospect)));
        Assert.Equal((RecordingActionOutcome.AlreadySo, RecordingState.Refused), Outcome(_control.OpposeRecording(id, OppositionSource.Agent)));
        Assert.Equal((RecordingActionOutcome.NotApplicable, RecordingState.Refused), Outcome(_control.StartRecording(id)));
        Assert.Equal((RecordingActionOutcome.NotApplicable, RecordingState.Refused), Outcome(_control.PauseRecording(id)));
        Assert.Equal((RecordingActionOutcome.NotApplicable, RecordingState.Refused), Outcome(_control.ResumeRecording(id)));

        // The refusal is the prospect's, as asked.
        await LoopbackCalls.WaitAsync(() => call.Call.Recording!.Results.Count == 1);
        Assert.Equal(OppositionSource.Prospect, Assert.Single(call.Call.Recording!.Results).Opposition?.By);
    }

    [Fact]
    public async Task OnDemandStartsOnlyOnceAnsweredAndOnlyOnce()
    {
        var call = await _calls.DialAsync(LoopbackCalls.Plan(OnDemand));
        await _calls.CalleeAnswersAsync(call, 180);
        string id = call.Call.Id;

        // Not answered yet: nothing to act on.
        Assert.Equal((RecordingActionOutcome.NotApplicable, RecordingState.Off), Outcome(_control.StartRecording(id)));
        Assert.Equal((RecordingActionOutcome.NotApplicable, RecordingState.Off), Outcome(_control.OpposeRecording(id, OppositionSource.Agent)));

        await _calls.CalleeAnswersAsync(call, 200);
        Assert.Equal((RecordingActionOutcome.NotApplicable, RecordingState.Off), Outcome(_control.PauseRecording(id)));
        Assert.Equal((RecordingActionOutcome.Done, RecordingState.Recording), Outcome(_control.StartRecording(id)));
        Assert.Equal((RecordingActionOutcome.AlreadySo, RecordingState.Recording), Outcome(_control.StartRecording(id)));
    }

    [Fact]
    public async Task ACallWithoutARuleHasNoRecordingToActOn()
    {
        var call = await _calls.DialAsync(LoopbackCalls.Plan(null));
        await _calls.CalleeAnswersAsync(call, 200);
        string id = call.Call.Id;

        Assert.Equal(RecordingState.None, _control.Find(id)!.Recording);
        Assert.Equal((RecordingActionOutcome.NotApplicable, RecordingState.None), Outcome(_control.StartRecording(id)));
        Assert.Equal((RecordingActionOutcome.NotApplicable, RecordingState.None), Outcome(_control.PauseRecording(id)));
        Assert.Equal((RecordingActionOutcome.NotApplicable, RecordingState.None), Outcome(_control.ResumeRecording(id)));
        Assert.Equal((RecordingActionOutcome.NotApplicable, RecordingState.None), Outcome(_control.OpposeRecording(id, OppositionSource.Agent)));
    }

    [Fact]
    public async Task EveryActionOnAnUnknownOrEndedCallSaysNoSuchCall()
    {
        var call = await _calls.DialAsync(LoopbackCalls.Plan(Always));
        await _calls.CalleeAnswersAsync(call, 200);
        await _calls.HangUpAllAsync();

        foreach (string id in new[] { "no-such-call", call.Call.Id })
        {
            RecordingActionResult[] results =
            [
                _control.StartRecording(id),
                _control.PauseRecording(id),
                _control.ResumeRecording(id),
                _control.OpposeRecording(id, OppositionSource.Agent),
            ];
            Assert.All(results, r => Assert.Equal(new RecordingActionResult(RecordingActionOutcome.NoSuchCall, null), r));
            Assert.All(results, r => Assert.False(r.Succeeded));
        }
    }

    [Fact]
    public async Task TheLiveListAnnouncesEachCallJoiningChangingPhaseAndLeaving()
    {
        var changes = new System.Collections.Concurrent.ConcurrentQueue<LiveCallChange>();
        _control.Changed += changes.Enqueue;

        var call = await _calls.DialAsync(LoopbackCalls.Plan(null));
        await _calls.CalleeAnswersAsync(call, 180);
        await _calls.CalleeAnswersAsync(call, 200);
        await _calls.AgentHoldsAsync(call);
        await _calls.HangUpAllAsync();

        Assert.Equal(
            [
                (LiveCallChangeKind.Added, CallPhase.Dialling),
                (LiveCallChangeKind.PhaseChanged, CallPhase.Ringing),
                (LiveCallChangeKind.PhaseChanged, CallPhase.Connected),
                (LiveCallChangeKind.PhaseChanged, CallPhase.OnHold),
                (LiveCallChangeKind.Removed, CallPhase.Ended),
            ],
            changes.Select(c => (c.Kind, c.Call.Phase)));
        Assert.All(changes, c => Assert.Equal(call.Call.Id, c.Call.Id));
    }

    private static (RecordingActionOutcome, RecordingState) Outcome(RecordingActionResult result) => (result.Outcome, result.Call!.Recording);
}
