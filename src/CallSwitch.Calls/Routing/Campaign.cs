using CallSwitch.Compliance.Rules;
using CallSwitch.Calls.Recording;
using CallSwitch.Media.Announcements;

namespace CallSwitch.Calls.Routing;

/// <summary>A campaign as routing uses it: its trunk, caller id and the notice played to prospects (loaded once).</summary>
public sealed record Campaign
{
    public required string Id { get; init; }

    public required string TrunkId { get; init; }

    public string? CallerId { get; init; }

    /// <summary>The recording notice to play, converted at load; null plays nothing.</summary>
    public Announcement? Announcement { get; init; }

    public bool AgentHearsAnnouncement { get; init; }

    /// <summary>Digits that select this campaign when dialled before the number.</summary>
    public string? DialPrefix { get; init; }

    /// <summary>Whether an X-Campaign header may pick another of the agent's campaigns.</summary>
    public bool AllowHeaderOverride { get; init; }

    /// <summary>The recording rule of the campaign's calls; null records nothing.</summary>
    public RecordingRule? Recording { get; init; }
}
