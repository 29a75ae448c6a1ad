using System.Text.Json;
using CallSwitch.Calls.Control;
using CallSwitch.Compliance.Storage;

namespace CallSwitch.Server.WebConsole.Live;

/// <summary>A live call as the board's script receives it (no phone number: data minimisation), serialised once per change for every client.</summary>
internal static class LiveCallView
{
    public static string Json(LiveCallSnapshot call) => JsonSerializer.Serialize(new
    {
        id = call.Id,
        agent = call.Agent,
        campaign = call.Campaign,
        direction = call.Direction == CallDirection.Inbound ? "inbound" : "outbound",
        phase = EnumWords.Of(call.Phase),
        startedAt = call.StartedAt.ToUnixTimeMilliseconds(),
        answeredAt = call.AnsweredAt?.ToUnixTimeMilliseconds(),
        recording = Recording(call.Recording),
    });

    /// <summary>The recording's state in the board's four words: recording, paused, off, refused.</summary>
    public static string Recording(Calls.Recording.RecordingState state) => state switch
    {
        Calls.Recording.RecordingState.Recording => "recording",
        Calls.Recording.RecordingState.Paused => "paused",
        Calls.Recording.RecordingState.Refused => "refused",
        _ => "off",
    };
}
