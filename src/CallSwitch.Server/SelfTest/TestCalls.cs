using CallSwitch.Calls.Control;
using CallSwitch.Calls.Recording;
using CallSwitch.Calls.Sessions;
using CallSwitch.Compliance.Rules;
using CallSwitch.Compliance.Storage;
using CallSwitch.Sip.Messages;

namespace CallSwitch.Server.SelfTest;

/// <summary>
/// The self-test's two calls through an isolated switch, driven as an agent and a CRM would: the
/// agent dials, the built-in party answers, the recording is acted on through the call-control
/// API (<see cref="ICallControl"/>), the agent hangs up. Each call says where it stands
/// (<see cref="Stage"/>), for the line printed when the budget runs out.
/// </summary>
internal sealed class TestCalls
{
    /// <summary>The agent's tone: a whole number of periods in 20 ms at 8 and 16 kHz.</summary>
    public const double AgentHz = 1000;

    /// <summary>The prospect's tone.</summary>
    public const double ProspectHz = 600;

    /// <summary>The main call's number: in the range Arcep keeps for fiction (01 99 00 xx xx), never a real line.</summary>
    public const string MainNumber = "+33199000001";

    /// <summary>The opposition call's number, from the same fictitious range.</summary>
    public const string OppositionNumber = "+33199000002";

    private static readonly TimeSpan Talk = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan BeforeOpposition = TimeSpan.FromMilliseconds(500);
    private readonly IsolatedSwitch _switch;
    private readonly AnsweringParty _carrier;
    private readonly RecordingLog _recordings;
    private readonly RecordingMode _mode;
    private volatile string _mainStage = "not started";
    private volatile string _oppositionStage = "not started";

    public TestCalls(IsolatedSwitch isolated, AnsweringParty carrier, RecordingLog recordings)
    {
        _switch = isolated;
        _carrier = carrier;
        _recordings = recordings;
        _mode = isolated.Campaign.Recording?.Mode ?? RecordingMode.Never;
    }

    /// <summary>Where each call stands: "main: hanging up; opposition: done".</summary>
    public string Stage => $"main call {_mainStage}; opposition call {_oppositionStage}";

    private ICallControl Control => _switch.Host.Control;

    private IMetadataStore Store => _switch.Host.Archive?.Store ?? throw new InvalidOperationException("the isolated switch has no store");

    /// <summary>The main call (see <see cref="MainCall"/>).</summary>
    /// <exception cref="SelfTestCallException">The call could not be made as scripted.</exception>
    public async Task<MainCall> MainAsync(DiallingAgent agent, CancellationToken cancellationToken)
    {
        _mainStage = "dialling";
        (string callId, PartyCall prospect) = await DialAsync(agent, MainNumber, cancellationToken).ConfigureAwait(false);
        _mainStage = "waiting for the notice to end";
        LiveCallSnapshot connected = await ConnectedAsync(callId, cancellationToken).ConfigureAwait(false);
        bool startedBefore = _recordings.StartedOn(callId).Count > 0;
        RecordingActionResult? start = _mode == RecordingMode.OnDemand ? Control.StartRecording(callId) : null;

        _mainStage = "talking";
        await Task.Delay(Talk, cancellationToken).ConfigureAwait(false);
        RecordingActionResult pause = Control.PauseRecording(callId);
        _mainStage = "talking while paused";
        await Task.Delay(Talk, cancellationToken).ConfigureAwait(false);
        RecordingActionResult resume = Control.ResumeRecording(callId);
        _mainStage = "talking after the resume";
        await Task.Delay(Talk, cancellationToken).ConfigureAwait(false);

        _mainStage = "hanging up";
        await HangUpAsync(agent, callId, cancellationToken).ConfigureAwait(false);
        _mainStage = "waiting for the recording and the rows";
        RecordingResult? result = await ResultAsync(callId, _ => true, cancellationToken).ConfigureAwait(false);
        CallRecord row = await EndedRowAsync(callId, cancellationToken).ConfigureAwait(false);
        RecordingMetadata? recording = result is null ? null : await Store.GetRecordingAsync(Guid.Parse(result.RecordingId), cancellationToken).ConfigureAwait(false);
        _mainStage = "done";
        return new MainCall(callId, prospect, connected.Recording, startedBefore, start, pause, resume, result, row, recording);
    }

    /// <summary>The opposition call (see <see cref="OppositionCall"/>).</summary>
    /// <exception cref="SelfTestCallException">The call could not be made as scripted.</exception>
    public async Task<OppositionCall> OppositionAsync(DiallingAgent agent, CancellationToken cancellationToken)
    {
        _oppositionStage = "dialling";
        (string callId, _) = await DialAsync(agent, OppositionNumber, cancellationToken).ConfigureAwait(false);
        if (_mode == RecordingMode.OnDemand)
        {
            _oppositionStage = "waiting for the notice to end";
            await ConnectedAsync(callId, cancellationToken).ConfigureAwait(false);
            Control.StartRecording(callId);
        }
        else
        {
            // Recording from the answer (the notice recorded) or from the connection: oppose once it runs.
            _oppositionStage = "waiting for the recording or the connection";
            await CallWaits.UntilAsync(() => Control.Find(callId) is not { } call || call.Recording == RecordingState.Recording || call.Phase != CallPhase.Notice, cancellationToken).ConfigureAwait(false);
        }

        _oppositionStage = "recording before the opposition";
        await Task.Delay(BeforeOpposition, cancellationToken).ConfigureAwait(false);
        RecordingStarted? started = _recordings.StartedOn(callId).FirstOrDefault();
        RecordingActionResult oppose = Control.OpposeRecording(callId, OppositionSource.Agent);
        _oppositionStage = "hanging up";
        await HangUpAsync(agent, callId, cancellationToken).ConfigureAwait(false);
        started ??= _recordings.StartedOn(callId).FirstOrDefault();
        _oppositionStage = "waiting for the refusal to be stored";
        RecordingResult? result = await ResultAsync(callId, r => r.Opposition is not null || oppose.Outcome != RecordingActionOutcome.Done, cancellationToken).ConfigureAwait(false);
        RecordingMetadata? recording = started is null
            ? null
            : await CallWaits.UntilAsync(
                async () =>
                {
                    await _switch.Host.Archive!.FlushAsync(cancellationToken).ConfigureAwait(false);
                    return await Store.GetRecordingAsync(Guid.Parse(started.RecordingId), cancellationToken).ConfigureAwait(false) is { EndedAt: not null } row ? row : null;
                },
                cancellationToken).ConfigureAwait(false);
        _oppositionStage = "done";
        return new OppositionCall(callId, started, oppose, result, recording);
    }

    private async Task<(string CallId, PartyCall Prospect)> DialAsync(DiallingAgent agent, string number, CancellationToken cancellationToken)
    {
        SipResponse answer = await agent.CallAsync(number, AgentHz, cancellationToken).ConfigureAwait(false);
        if (!answer.IsSuccess)
        {
            string warning = answer.Headers[HeaderId.Warning] is { } w ? $" ({w})" : string.Empty;
            string carrier = _carrier.Refusal is { } refusal ? "; " + refusal : string.Empty;
            throw new SelfTestCallException($"the switch answered the agent's call to {number} with {answer.StatusCode} {answer.ReasonPhrase}{warning}{carrier}{Said()}");
        }

        PartyCall prospect = await _carrier.CallToAsync(number).WaitAsync(cancellationToken).ConfigureAwait(false);
        // Each built-in agent makes one call: its answered call is this one.
        LiveCallSnapshot call = Control.AnsweredCallsOf(agent.Extension).FirstOrDefault()
            ?? throw new SelfTestCallException($"the answered call of agent {agent.Extension} is not among the live calls{Said()}");
        return (call.Id, prospect);
    }

    private async Task<LiveCallSnapshot> ConnectedAsync(string callId, CancellationToken cancellationToken)
    {
        await CallWaits.UntilAsync(() => Control.Find(callId) is not { Phase: CallPhase.Dialling or CallPhase.Ringing or CallPhase.Notice }, cancellationToken).ConfigureAwait(false);
        return Control.Find(callId) is { Phase: CallPhase.Connected } call
            ? call
            : throw new SelfTestCallException($"the call ended or was held before the agent and the prospect were connected{Said()}");
    }

    private async Task HangUpAsync(DiallingAgent agent, string callId, CancellationToken cancellationToken)
    {
        int status = await agent.HangUpAsync(cancellationToken).ConfigureAwait(false);
        if (status != 200)
        {
            throw new SelfTestCallException($"the switch answered the agent's BYE with {status}{Said()}");
        }

        await CallWaits.UntilAsync(() => Control.Find(callId) is null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Once the call has ended: the last result matching <paramref name="match"/> of each recording started on it, or null when none started.</summary>
    private async Task<RecordingResult?> ResultAsync(string callId, Func<RecordingResult, bool> match, CancellationToken cancellationToken)
    {
        if (_recordings.StartedOn(callId).Count == 0 && _recordings.FinishedOn(callId).Count == 0)
        {
            return null;
        }

        await CallWaits.UntilAsync(() => _recordings.FinishedOn(callId).Any(match), cancellationToken).ConfigureAwait(false);
        return _recordings.FinishedOn(callId).Last(match);
    }

    private async Task<CallRecord> EndedRowAsync(string callId, CancellationToken cancellationToken) =>
        await CallWaits.UntilAsync(
            async () =>
            {
                await _switch.Host.Archive!.FlushAsync(cancellationToken).ConfigureAwait(false);
                return await Store.GetCallAsync(callId, cancellationToken).ConfigureAwait(false) is { EndedAt: not null } row ? row : null;
            },
            cancellationToken).ConfigureAwait(false);

    private string Said() => _switch.Warnings.Lines.Count == 0 ? string.Empty : "; the switch said: " + string.Join(" | ", _switch.Warnings.Lines);
}
