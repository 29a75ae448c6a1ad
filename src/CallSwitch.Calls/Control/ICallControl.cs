using CallSwitch.Calls.Supervision;
using CallSwitch.Compliance.Storage;

namespace CallSwitch.Calls.Control;

/// <summary>
/// The one way anything outside the call machinery (the HTTP API; next the web console and
/// supervision) sees and acts on live calls: immutable snapshots of the calls, look-ups, and the
/// recording controls with a clear outcome. Nothing here hands out a call object.
/// </summary>
/// <remarks>
/// <para>
/// Data minimisation: a <see cref="LiveCallSnapshot"/> never holds the prospect's number; a
/// caller allowed to see it (a supervisor's console, say) asks for it by name with
/// <see cref="TryGetProspectNumber"/>, so that every place that shows it is one search away.
/// </para>
/// <para>
/// What comes next joins here, by call id: supervision sessions (listen, whisper, barge) as
/// further methods, the web console's live list from <see cref="List"/> and <see cref="Changed"/>.
/// </para>
/// <para>Thread-safe; every method returns at once (the recording's file work runs in the background).</para>
/// </remarks>
public interface ICallControl
{
    /// <summary>
    /// A call joined the live list, changed phase, or left the list (see <see cref="LiveCallChange"/>).
    /// Raised on the call's own task: handlers must return quickly, never wait on I/O and never throw.
    /// Recording changes made by the agent's keys are not announced (read them from a snapshot).
    /// </summary>
    event Action<LiveCallChange>? Changed;

    /// <summary>Every live call, oldest first.</summary>
    IReadOnlyList<LiveCallSnapshot> List();

    /// <summary>The live call with this id; null when there is none.</summary>
    LiveCallSnapshot? Find(string callId);

    /// <summary>The agent's answered calls that have not ended, oldest first (one, normally: a CRM acts on "the agent's call").</summary>
    IReadOnlyList<LiveCallSnapshot> AnsweredCallsOf(string agent);

    /// <summary>
    /// The prospect's number (E.164) on a live call, for a caller explicitly allowed to see it;
    /// false when there is no such call. Never call it to fill a list.
    /// </summary>
    bool TryGetProspectNumber(string callId, out string number);

    /// <summary>Starts recording an answered call whose campaign records on demand.</summary>
    RecordingActionResult StartRecording(string callId);

    /// <summary>Pauses the call's recording: silence in the file and a span in its metadata (card numbers, health data).</summary>
    RecordingActionResult PauseRecording(string callId);

    /// <summary>Resumes the call's paused recording.</summary>
    RecordingActionResult ResumeRecording(string callId);

    /// <summary>
    /// The recording of the call is refused by <paramref name="by"/>: it stops, what was recorded
    /// is destroyed, nothing more is recorded; the call goes on.
    /// </summary>
    RecordingActionResult OpposeRecording(string callId, OppositionSource by);

    /// <summary>
    /// Seats a supervisor on the agent's current answered call (listen, whisper or barge): the
    /// policy is asked first and a refusal audited; the session is audited from start to end.
    /// The caller (the supervisor's SIP dialog) ends its dialog when the session's
    /// <see cref="SupervisionSession.CallEnded"/> is raised, and calls
    /// <see cref="SupervisionSession.Leave"/> when the supervisor hangs up.
    /// </summary>
    SupervisionJoin JoinSupervisor(SupervisorRequest request);

    /// <summary>The supervision sessions on a live call now (none when there is no such call).</summary>
    IReadOnlyList<SupervisionSession> SupervisionsOf(string callId);

    /// <summary>
    /// Attaches a consumer to a connected call's listen feed (both parties mixed, 16-bit PCM at
    /// <see cref="CallSwitch.Media.Mixing.SupervisionMixer.SampleRate"/>, one 20 ms frame per tick; see
    /// <see cref="CallSwitch.Media.Mixing.IPcmFrameSink"/> for its contract): the web console's live listening.
    /// Nothing here decides or audits: the caller asks the authorisation service first.
    /// </summary>
    /// <returns>Dispose it to detach; null when there is no such connected call or its media cannot be mixed.
    /// The feed stops by itself when the call ends (<see cref="Changed"/> says so).</returns>
    IDisposable? AttachListenFeed(string callId, CallSwitch.Media.Mixing.IPcmFrameSink sink);
}
