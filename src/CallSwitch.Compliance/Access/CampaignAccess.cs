using CallSwitch.Compliance.Rules;

namespace CallSwitch.Compliance.Access;

/// <summary>
/// What a campaign allows beyond the roles' rights (a campaign's <c>access</c> section): the
/// purposes a listener may give, which roles may hear its full recordings, which may make
/// anonymised training extracts, which may download, and whether agents hear their own calls.
/// Least privilege by default: quality and managers listen, supervisors get extracts only, no
/// agent listening, downloads for dpo only, every purpose of the recording rule.
/// </summary>
public sealed record CampaignAccess
{
    /// <summary>The roles that may hear full recordings when the configuration says nothing.</summary>
    public static readonly IReadOnlySet<Role> DefaultListenRoles = new HashSet<Role> { Role.Quality, Role.Manager };

    /// <summary>The roles that may make training extracts when the configuration says nothing.</summary>
    public static readonly IReadOnlySet<Role> DefaultExtractRoles = new HashSet<Role> { Role.Supervisor, Role.Quality, Role.Manager };

    /// <summary>The roles that may download when the configuration says nothing.</summary>
    public static readonly IReadOnlySet<Role> DefaultDownloadRoles = new HashSet<Role> { Role.Dpo };

    /// <summary>How long a training extract is kept when the configuration says nothing (short: a training copy).</summary>
    public const int DefaultExtractRetentionDays = 30;

    /// <summary>How many recordings per agent and period a sample takes when the configuration says nothing.</summary>
    public const int DefaultExtractSamplePerAgent = 3;

    /// <summary>The campaign.</summary>
    public required string CampaignId { get; init; }

    /// <summary>How long a training extract of the campaign is kept, from its making.</summary>
    public int ExtractRetentionDays { get; init; } = DefaultExtractRetentionDays;

    /// <summary>How many of an agent's recordings of a period a training sample takes (spread evenly over the period).</summary>
    public int ExtractSamplePerAgent { get; init; } = DefaultExtractSamplePerAgent;

    /// <summary>The purposes a listener may give (by default, every purpose of the campaign's recording rule).</summary>
    public IReadOnlyList<string> Purposes { get; init; } = [];

    /// <summary>Whether agents may listen to their own recordings.</summary>
    public bool AgentsListen { get; init; }

    /// <summary>The roles (among supervisor, quality, manager) that may hear the campaign's full recordings, for a purpose.</summary>
    public IReadOnlySet<Role> ListenRoles { get; init; } = DefaultListenRoles;

    /// <summary>The roles (among supervisor, quality, manager) that may make anonymised training extracts.</summary>
    public IReadOnlySet<Role> ExtractRoles { get; init; } = DefaultExtractRoles;

    /// <summary>The roles that may download a plain file (each still needs the right to listen).</summary>
    public IReadOnlySet<Role> DownloadRoles { get; init; } = DefaultDownloadRoles;

    /// <summary>
    /// Whether a role may hear the campaign's full recordings (before scope and purpose): an agent
    /// when agents hear their own, a dpo always (within a request: the request is its purpose),
    /// others when listed in <see cref="ListenRoles"/>; an admin never.
    /// </summary>
    public bool Hears(Role role) => role switch
    {
        Role.Agent => AgentsListen,
        Role.Dpo => true,
        Role.Admin => false,
        _ => ListenRoles.Contains(role),
    };

    /// <summary>Whether a role may make anonymised training extracts of the campaign's recordings.</summary>
    public bool Extracts(Role role) => ExtractRoles.Contains(role);

    /// <summary>A campaign's access with the defaults, its purposes from its recording rule.</summary>
    public static CampaignAccess FromRule(RecordingRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return new CampaignAccess { CampaignId = rule.CampaignId, Purposes = rule.Purposes };
    }
}
