using CallSwitch.Compliance.Rules;

namespace CallSwitch.Compliance.Access;

/// <summary>
/// What a campaign allows beyond the roles' defaults: its declared purposes (the only ones a
/// listener may give), whether its agents may hear their own recordings, whether supervisors
/// may hear full recordings rather than anonymised extracts, and which roles may download.
/// Least privilege by default: no agent listening, no supervisor listening, downloads for dpo only.
/// </summary>
public sealed record CampaignAccess
{
    /// <summary>The campaign.</summary>
    public required string CampaignId { get; init; }

    /// <summary>Why the campaign's calls are recorded (its recording rule's purposes).</summary>
    public IReadOnlyList<string> Purposes { get; init; } = [];

    /// <summary>Whether agents may listen to their own recordings.</summary>
    public bool AgentsListen { get; init; }

    /// <summary>Whether supervisors may listen to their team's full recordings.</summary>
    public bool SupervisorsListen { get; init; }

    /// <summary>The roles that may download a plain file (each still needs the right to listen).</summary>
    public IReadOnlySet<Role> DownloadRoles { get; init; } = new HashSet<Role> { Role.Dpo };

    /// <summary>A campaign's access with the defaults, its purposes from its recording rule.</summary>
    public static CampaignAccess FromRule(RecordingRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return new CampaignAccess { CampaignId = rule.CampaignId, Purposes = rule.Purposes };
    }
}
