using CallSwitch.Calls.Sessions;
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

/// <summary>Applies recording actions to calls and names their states for the API.</summary>
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

    /// <summary>Applies the action; true when it changed the recording now.</summary>
    public static bool Apply(B2buaCall call, RecordingAction action) => action switch
    {
        RecordingAction.Start => call.StartRecording(),
        RecordingAction.Pause => call.PauseRecording(),
        RecordingAction.Resume => call.ResumeRecording(),
        _ => call.OpposeRecording(OppositionSource.Agent),
    };

    /// <summary>The state an action leads to: asking for it again changes nothing and is not an error.</summary>
    public static string Target(RecordingAction action) => action switch
    {
        RecordingAction.Start or RecordingAction.Resume => "recording",
        RecordingAction.Pause => "paused",
        _ => "refused",
    };

    /// <summary>The recording state of a call, as the API shows it.</summary>
    public static string State(B2buaCall call) => call.RecordingState.ToString().ToLowerInvariant();
}
