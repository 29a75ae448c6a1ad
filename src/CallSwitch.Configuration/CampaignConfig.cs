using CallSwitch.Compliance.Rules;

namespace CallSwitch.Configuration;

/// <summary>A campaign (an entry of 'campaigns'): how its calls go out and are recorded.</summary>
public sealed record CampaignConfig
{
    /// <summary>The campaign's id (a token: letters, digits, '.', '-', '_'), also used in X-Campaign.</summary>
    public required string Id { get; init; }

    /// <summary>A readable name.</summary>
    public required string Name { get; init; }

    /// <summary>The id of the trunk its calls go out through.</summary>
    public required string Trunk { get; init; }

    /// <summary>The caller id (E.164) shown to prospects; overrides the trunk's.</summary>
    public string? CallerId { get; init; }

    /// <summary>The default language of the prospects (fr, en…), which picks the announcement.</summary>
    public required string Language { get; init; }

    /// <summary>The announcement WAV file per language, as absolute paths.</summary>
    public IReadOnlyDictionary<string, string> Announcements { get; init; } = new Dictionary<string, string>();

    /// <summary>Whether the agent hears the announcement played to the prospect.</summary>
    public bool AgentHearsAnnouncement { get; init; }

    /// <summary>Digits dialled before the number that select this campaign, if any.</summary>
    public string? DialPrefix { get; init; }

    /// <summary>Whether an X-Campaign header from the agent may pick another of the agent's campaigns.</summary>
    public bool AllowHeaderOverride { get; init; }

    /// <summary>The campaign's recording rule (mode never when the section is absent).</summary>
    public required RecordingRule Recording { get; init; }

    /// <summary>Who may hear, extract and download the campaign's recordings, as its 'access' section says; null: the defaults.</summary>
    public CallSwitch.Compliance.Access.CampaignAccess? Access { get; init; }

    /// <summary>The access rules in force: the 'access' section's, or the least-privilege defaults over the recording rule's purposes.</summary>
    public CallSwitch.Compliance.Access.CampaignAccess AccessRules => Access ?? CallSwitch.Compliance.Access.CampaignAccess.FromRule(Recording);
}
