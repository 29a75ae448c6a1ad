using CallSwitch.Calls.Recording;
using CallSwitch.Calls.Sessions;
using CallSwitch.Calls.Supervision;
using CallSwitch.Compliance.Storage;

namespace CallSwitch.Calls.Control;

/// <summary>
/// <see cref="ICallControl"/> over the switch's <see cref="CallRegistry"/>: snapshots are read
/// from each call's atomically swapped progress and its recording side; recording actions go to
/// the call's <see cref="CallRecordingControl"/>, which logs each with the call id and "the API".
/// </summary>
public sealed class CallControl : ICallControl
{
    private readonly CallRegistry _registry;
    private readonly SupervisionService? _supervision;

    /// <summary>Acts on the calls of <paramref name="registry"/>; supervision is refused without a <paramref name="supervision"/> service.</summary>
    public CallControl(CallRegistry registry, SupervisionService? supervision = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        _registry = registry;
        _supervision = supervision;
        registry.Added += call => Raise(LiveCallChangeKind.Added, call);
        registry.Changed += call => Raise(LiveCallChangeKind.PhaseChanged, call);
        registry.Ended += call => Raise(LiveCallChangeKind.Removed, call);
    }

    /// <inheritdoc />
    public event Action<LiveCallChange>? Changed;

    /// <inheritdoc />
    public IReadOnlyList<LiveCallSnapshot> List() =>
        [.. _registry.Calls.Select(LiveCallSnapshot.Of).OrderBy(c => c.StartedAt).ThenBy(c => c.Id, StringComparer.Ordinal)];

    /// <inheritdoc />
    public LiveCallSnapshot? Find(string callId) =>
        _registry.FindById(callId) is { } call ? LiveCallSnapshot.Of(call) : null;

    /// <inheritdoc />
    public IReadOnlyList<LiveCallSnapshot> AnsweredCallsOf(string agent) =>
        [.. List().Where(c => c.Agent == agent && c.IsAnswered)];

    /// <inheritdoc />
    public bool TryGetProspectNumber(string callId, out string number)
    {
        number = _registry.FindById(callId)?.Plan.ProspectNumber ?? string.Empty;
        return number.Length > 0;
    }

    /// <inheritdoc />
    public RecordingActionResult StartRecording(string callId) =>
        Act(callId, RecordingState.Recording, control => control.Start());

    /// <inheritdoc />
    public RecordingActionResult PauseRecording(string callId) =>
        Act(callId, RecordingState.Paused, control => control.Pause());

    /// <inheritdoc />
    public RecordingActionResult ResumeRecording(string callId) =>
        Act(callId, RecordingState.Recording, control => control.Resume());

    /// <inheritdoc />
    public RecordingActionResult OpposeRecording(string callId, OppositionSource by) =>
        Act(callId, RecordingState.Refused, control => control.Oppose(by));

    /// <inheritdoc />
    public SupervisionJoin JoinSupervisor(SupervisorRequest request) =>
        _supervision is null
            ? new SupervisionJoin(SupervisionJoinOutcome.Refused, null, "supervision is not enabled on this switch")
            : _supervision.Join(_registry, request);

    /// <inheritdoc />
    public IReadOnlyList<SupervisionSession> SupervisionsOf(string callId) =>
        _registry.FindById(callId)?.Media?.CurrentSupervision is { } supervision ? supervision.Sessions : [];

    /// <inheritdoc />
    public IDisposable? AttachListenFeed(string callId, CallSwitch.Media.Mixing.IPcmFrameSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        if (_registry.FindById(callId) is not { } call
            || LiveCallSnapshot.Of(call) is not { IsAnswered: true, Phase: CallPhase.Connected or CallPhase.OnHold })
        {
            return null;
        }

        // The same mixer as the supervisors' (created by whichever comes first), following barging for the recording.
        return call.Media?.Supervision(barging => call.RecordingLink.Control?.OnBargeChanged(barging))?.AttachListener(sink);
    }

    private void Raise(LiveCallChangeKind kind, B2buaCall call) =>
        Changed?.Invoke(new LiveCallChange(kind, LiveCallSnapshot.Of(call)));

    /// <summary>Applies <paramref name="change"/>; an action that changed nothing succeeded all the same when the recording already is in <paramref name="target"/>.</summary>
    private RecordingActionResult Act(string callId, RecordingState target, Func<CallRecordingControl, bool> change)
    {
        if (_registry.FindById(callId) is not { } call)
        {
            return new RecordingActionResult(RecordingActionOutcome.NoSuchCall, null);
        }

        bool changed = call.RecordingLink.Control is { } control && change(control);
        LiveCallSnapshot after = LiveCallSnapshot.Of(call);
        RecordingActionOutcome outcome = changed ? RecordingActionOutcome.Done
            : after.Recording == target ? RecordingActionOutcome.AlreadySo
            : RecordingActionOutcome.NotApplicable;
        return new RecordingActionResult(outcome, after);
    }
}
