using CallSwitch.Calls.Media;
using CallSwitch.Calls.Recording;
using Serilog;

namespace CallSwitch.Calls.Sessions;

/// <summary>
/// Ties a call's signalling to its recording side: the recording begins at the answer (under the
/// campaign's rule), learns when the notice has ended and the parties are connected, and ends
/// with the call. What anything outside the call may do to the recording goes through
/// <see cref="Control.ICallControl"/>, which reads <see cref="Control"/> and <see cref="State"/> here.
/// </summary>
/// <remarks>Written under the call's signalling lock; read from any thread.</remarks>
internal sealed class RecordingWiring
{
    private readonly RecordingService? _service;
    private readonly CallPlan _plan;
    private CallRecordingControl? _control;

    public RecordingWiring(RecordingService? service, CallPlan plan)
    {
        _service = service;
        _plan = plan;
    }

    /// <summary>The call's recording side once answered; null before, without a rule or without a recording service.</summary>
    public CallRecordingControl? Control => Volatile.Read(ref _control);

    /// <summary>Where the recording stands: <see cref="RecordingState.None"/> without a rule or a service; <see cref="RecordingState.Off"/> until answered.</summary>
    public RecordingState State =>
        Control?.State ?? (_plan.Recording is not null && _service is not null ? RecordingState.Off : RecordingState.None);

    /// <summary>The callee answered: applies the rule (may start recording at once). Called before the notice starts, so that a recorded notice is recorded from its first frame.</summary>
    public void OnAnswered(string callId, CallMedia media, ILogger log) =>
        Volatile.Write(ref _control, _service?.Begin(callId, _plan, media, log));

    /// <summary>The notice ended (or there was none): the parties are connected unless it was cut short.</summary>
    public void OnNoticeEnded(bool playedInFull)
    {
        if (_plan.Announcement is null || playedInFull)
        {
            Control?.OnConnected(playedInFull);
        }
    }

    /// <summary>The call ends: the recording stops; completes once its result has been raised.</summary>
    public Task EndAsync() => Control?.EndAsync() ?? Task.CompletedTask;
}
