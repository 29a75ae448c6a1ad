using CallSwitch.Calls.Control;
using CallSwitch.Compliance.Storage;

namespace CallSwitch.Server.Api;

/// <summary>What a CRM may ask of a call's recording.</summary>
internal enum RecordingAction
{
    /// <summary>Start recording (on-demand campaigns).</summary>
    Start,

    /// <summary>Pause: silence in the file and a span in the metadata (card numbers, health data).</summary>
    Pause,

    /// <summary>Resume after a pause.</summary>
    Resume,

    /// <summary>The prospect refused (the agent's CRM says so): stop, destroy what was recorded, keep only the refusal.</summary>
    Oppose,
}

/// <summary>Reads recording actions from URLs, applies them through <see cref="ICallControl"/> and names recording states for the API.</summary>
internal static class RecordingActions
{
    /// <summary>Reads an action as the URL spells it (start, pause, resume, oppose).</summary>
    public static bool TryParse(string? text, out RecordingAction action)
    {
        (bool ok, action) = text switch
        {
            "start" => (true, RecordingAction.Start),
            "pause" => (true, RecordingAction.Pause),
            "resume" => (true, RecordingAction.Resume),
            "oppose" => (true, RecordingAction.Oppose),
            _ => (false, default),
        };
        return ok;
    }

    /// <summary>The action's name in URLs and logs.</summary>
    public static string Name(RecordingAction action) => action.ToString().ToLowerInvariant();

    /// <summary>Applies the action through the call-control façade (an opposition from the CRM is the agent's, speaking for the prospect).</summary>
    public static RecordingActionResult Apply(ICallControl calls, string callId, RecordingAction action) => action switch
    {
        RecordingAction.Start => calls.StartRecording(callId),
        RecordingAction.Pause => calls.PauseRecording(callId),
        RecordingAction.Resume => calls.ResumeRecording(callId),
        _ => calls.OpposeRecording(callId, OppositionSource.Agent),
    };

    /// <summary>The recording state of a call, as the API shows it.</summary>
    public static string State(LiveCallSnapshot call) => call.Recording.ToString().ToLowerInvariant();
}
