using CallSwitch.Calls.Control;
using CallSwitch.Calls.Recording;
using CallSwitch.Compliance.Storage;

namespace CallSwitch.Server.SelfTest;

/// <summary>
/// What the self-test's main call gave: the agent dialled, the notice played, both parties
/// talked, the recording was paused and resumed through the call-control API, the agent hung up.
/// </summary>
/// <param name="CallId">The switch's id of the call.</param>
/// <param name="Prospect">The built-in answering party's side: what the prospect heard.</param>
/// <param name="AtConnection">The recording's state when the notice ended, before anything was asked.</param>
/// <param name="StartedBeforeAsked">Whether a recording had started by then.</param>
/// <param name="Start">The answer to the start asked for an on-demand campaign; null otherwise.</param>
/// <param name="Pause">The answer to the pause.</param>
/// <param name="Resume">The answer to the resume.</param>
/// <param name="Result">The call's recording as the service raised it at its end; null when nothing was recorded.</param>
/// <param name="Call">The call's row once ended.</param>
/// <param name="Recording">The recording's row; null when nothing was recorded.</param>
internal sealed record MainCall(
    string CallId,
    PartyCall Prospect,
    RecordingState AtConnection,
    bool StartedBeforeAsked,
    RecordingActionResult? Start,
    RecordingActionResult Pause,
    RecordingActionResult Resume,
    RecordingResult? Result,
    CallRecord Call,
    RecordingMetadata? Recording);
