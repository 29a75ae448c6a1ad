namespace CallSwitch.Compliance.Access;

/// <summary>
/// What an action is on: a recording or a live call (its campaign, the agent's team and
/// extension), or the system itself (users, configuration, audit: no team, no campaign, so only
/// a grant on every scope covers it).
/// </summary>
public sealed record AccessResource
{
    /// <summary>The system itself (configuration, users, the audit log, requests and holds as a whole).</summary>
    public static AccessResource System { get; } = new();

    /// <summary>The campaign the call or recording belongs to.</summary>
    public string? CampaignId { get; init; }

    /// <summary>The team of the call's agent.</summary>
    public string? Team { get; init; }

    /// <summary>The extension of the call's agent (an agent's "own" recordings are those on their extension).</summary>
    public string? AgentExtension { get; init; }

    /// <summary>The recording, when the action is on one (written in the audit entry).</summary>
    public Guid? RecordingId { get; init; }

    /// <summary>The data-subject request the action is taken within (a dpo listens only within one).</summary>
    public string? RequestId { get; init; }

    /// <summary>Whether the recording's number is under a restriction (GDPR Art. 18): only the dpo may hear it then.</summary>
    public bool Restricted { get; init; }

    /// <summary>The resource as a denied action's audit entry describes it.</summary>
    public string Describe()
    {
        var parts = new List<string>();
        Add(parts, "campaign", CampaignId);
        Add(parts, "team", Team);
        Add(parts, "agent", AgentExtension);
        Add(parts, "request", RequestId);
        Add(parts, "restricted", Restricted ? "yes" : null);
        return parts.Count == 0 ? "system" : string.Join(' ', parts);
    }

    private static void Add(List<string> parts, string name, string? value)
    {
        if (value is not null)
        {
            parts.Add($"{name}={value}");
        }
    }
}
