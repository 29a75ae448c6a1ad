using CallSwitch.Calls.Control;
using CallSwitch.Calls.Recording;
using CallSwitch.Compliance.Storage;

namespace CallSwitch.Server.SelfTest;

/// <summary>What the self-test's second call gave: recorded as the rule says, then refused through the call-control API.</summary>
/// <param name="CallId">The switch's id of the call.</param>
/// <param name="Started">The recording as it started (its file and key); null when nothing was recorded.</param>
/// <param name="Oppose">The answer to the opposition.</param>
/// <param name="Result">The last result raised for the call (the refusal); null when nothing was recorded.</param>
/// <param name="Recording">The recording's row once completed; null when nothing was recorded.</param>
internal sealed record OppositionCall(
    string CallId,
    RecordingStarted? Started,
    RecordingActionResult Oppose,
    RecordingResult? Result,
    RecordingMetadata? Recording);
