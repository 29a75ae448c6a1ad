using System.Collections.Frozen;

namespace CallSwitch.Compliance.Access;

/// <summary>
/// The authorisation service: the roles' rights (least privilege), their scopes, the campaigns'
/// grants and the purpose binding, decided in memory. The campaigns are a snapshot replaced whole
/// by <see cref="Update"/> (on a configuration reload); <see cref="Decide"/> reads it without a lock.
/// </summary>
/// <remarks>
/// The rights, before scopes and campaigns:
/// agent — search and hear their own recordings (if the campaign allows), control their own calls' recording;
/// supervisor — the team's live calls (listen, whisper, barge, recording control), anonymised extracts and annotations,
/// full recordings only if the campaign allows; quality and manager — search, hear (for a declared purpose), extract,
/// annotate their scope's recordings, indicators; dpo — requests, holds, audit, indicators, and hearing or downloading only
/// within a data-subject request; admin — configuration, users, audit verification, nothing personal.
/// Downloads need the campaign to list the role (dpo only by default) on top of the right to hear.
/// </remarks>
public sealed class Authorizer : IAuthorizer
{
    private static readonly FrozenDictionary<Role, FrozenSet<AccessAction>> Rights = new Dictionary<Role, FrozenSet<AccessAction>>
    {
        [Role.Agent] = Set(AccessAction.SearchRecordings, AccessAction.Stream, AccessAction.Download, AccessAction.RecordingControl),
        [Role.Supervisor] = Set(
            AccessAction.SearchRecordings, AccessAction.Stream, AccessAction.Download, AccessAction.Extract, AccessAction.Annotate,
            AccessAction.SuperviseListen, AccessAction.SuperviseWhisper, AccessAction.SuperviseBarge, AccessAction.RecordingControl),
        [Role.Quality] = Set(
            AccessAction.SearchRecordings, AccessAction.Stream, AccessAction.Download, AccessAction.Extract, AccessAction.Annotate, AccessAction.Kpi),
        [Role.Manager] = Set(
            AccessAction.SearchRecordings, AccessAction.Stream, AccessAction.Download, AccessAction.Extract, AccessAction.Annotate, AccessAction.Kpi),
        [Role.Dpo] = Set(
            AccessAction.SearchRecordings, AccessAction.Stream, AccessAction.Download, AccessAction.Requests, AccessAction.Holds,
            AccessAction.AuditRead, AccessAction.AuditVerify, AccessAction.Kpi),
        [Role.Admin] = Set(AccessAction.Config, AccessAction.Users, AccessAction.AuditVerify),
    }.ToFrozenDictionary();

    private volatile FrozenDictionary<string, CampaignAccess> _campaigns;

    /// <summary>Creates the service over the campaigns' access rules.</summary>
    public Authorizer(IEnumerable<CampaignAccess> campaigns)
    {
        _campaigns = Index(campaigns);
    }

    /// <summary>Replaces the campaigns' access rules (a configuration reload); decisions after it use the new ones.</summary>
    public void Update(IEnumerable<CampaignAccess> campaigns) => _campaigns = Index(campaigns);

    /// <summary>Whether a role has a right at all, before scopes and campaigns (for help texts and the register).</summary>
    public static bool RoleMay(Role role, AccessAction action) => Rights[role].Contains(action);

    /// <inheritdoc />
    public AccessDecision Decide(Principal? principal, AccessAction action, AccessResource resource, AccessPurpose? purpose = null)
    {
        ArgumentNullException.ThrowIfNull(resource);
        if (principal is null)
        {
            return AccessDecision.Deny("nobody is signed in");
        }

        if (principal.Grants.Count == 0)
        {
            return AccessDecision.Deny($"{principal.Name} holds no role (disabled, or never granted one)");
        }

        FrozenDictionary<string, CampaignAccess> campaigns = _campaigns;
        string reason = $"none of {principal.Name}'s roles ({string.Join(", ", principal.Grants)}) may {Verb(action)}";
        int rank = 0;
        foreach (RoleGrant grant in principal.Grants)
        {
            (bool allowed, string why, int specificity) = Check(grant, principal, action, resource, purpose, campaigns);
            if (allowed)
            {
                return AccessDecision.Allow(grant);
            }

            // The denial that went furthest is the one worth telling (a wrong purpose, rather than "not your role").
            if (specificity > rank)
            {
                (reason, rank) = (why, specificity);
            }
        }

        return AccessDecision.Deny(reason);
    }

    /// <summary>
    /// The recordings a user's scopes reach for <paramref name="action"/>, as conditions a store
    /// applies in its query (so that a page of results is a full page of what the user may see):
    /// null when nothing limits them, an empty list when nothing is reached. The scope part of
    /// <see cref="Decide"/> only: a campaign's grants and the purpose are still decided per recording.
    /// </summary>
    /// <param name="principal">The user.</param>
    /// <param name="action">What they would do with the recordings found (search, listen…).</param>
    /// <param name="agentsOfTeam">The extensions of a team's agents (the configuration in force: a recording's team is its agent's).</param>
    public static IReadOnlyList<RecordingReach>? Reach(Principal principal, AccessAction action, Func<string, IReadOnlySet<string>> agentsOfTeam)
    {
        ArgumentNullException.ThrowIfNull(principal);
        ArgumentNullException.ThrowIfNull(agentsOfTeam);
        var reach = new List<RecordingReach>();
        foreach (RoleGrant grant in principal.Grants.Where(g => Rights[g.Role].Contains(action)))
        {
            // An agent reaches their own calls only, inside the grant's scope.
            IReadOnlySet<string>? own = grant.Role == Role.Agent
                ? principal.Extension is { } extension ? new HashSet<string>(StringComparer.Ordinal) { extension } : null
                : null;
            if (grant.Role == Role.Agent && own is null)
            {
                continue;
            }

            AccessScope scope = grant.Scope;
            switch (scope.Kind)
            {
                case ScopeKind.All when own is null:
                    return null;
                case ScopeKind.All:
                    reach.Add(new RecordingReach(null, own));
                    break;
                case ScopeKind.Campaign:
                    reach.Add(new RecordingReach(scope.Name, own));
                    break;
                case ScopeKind.Team:
                    IReadOnlySet<string> team = agentsOfTeam(scope.Name);
                    reach.Add(new RecordingReach(null, own is null ? team : team.Intersect(own, StringComparer.Ordinal).ToHashSet(StringComparer.Ordinal)));
                    break;
                default:
                    reach.Add(new RecordingReach(null, own is null ? new HashSet<string>(StringComparer.Ordinal) { scope.Name } : own.Where(o => o == scope.Name).ToHashSet(StringComparer.Ordinal)));
                    break;
            }
        }

        return reach;
    }

    /// <summary>The action in words, for reasons: "stream a recording".</summary>
    public static string Verb(AccessAction action) => action switch
    {
        AccessAction.SearchRecordings => "search recordings",
        AccessAction.Stream => "listen to a recording",
        AccessAction.Download => "download a recording",
        AccessAction.Extract => "make a training extract",
        AccessAction.Annotate => "annotate a recording",
        AccessAction.SuperviseListen => "listen to a live call",
        AccessAction.SuperviseWhisper => "whisper to an agent",
        AccessAction.SuperviseBarge => "barge into a live call",
        AccessAction.RecordingControl => "control a live call's recording",
        AccessAction.Requests => "handle data-subject requests",
        AccessAction.Holds => "place or release legal holds",
        AccessAction.AuditRead => "read the audit log",
        AccessAction.AuditVerify => "verify the audit log",
        AccessAction.Kpi => "read the indicators",
        AccessAction.Config => "change the configuration",
        AccessAction.Users => "manage users",
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, null),
    };

    private static (bool Allowed, string Reason, int Specificity) Check(
        RoleGrant grant,
        Principal principal,
        AccessAction action,
        AccessResource resource,
        AccessPurpose? purpose,
        FrozenDictionary<string, CampaignAccess> campaigns)
    {
        Role role = grant.Role;
        if (!Rights[role].Contains(action))
        {
            return (false, $"{Article(role)} may not {Verb(action)}", 0);
        }

        if (!grant.Scope.Covers(resource))
        {
            return (false, $"{grant} does not cover {resource.Describe()}", 1);
        }

        if (role == Role.Agent && (principal.Extension is null || !string.Equals(principal.Extension, resource.AgentExtension, StringComparison.Ordinal)))
        {
            return (false, $"an agent may {Verb(action)} only on their own calls", 1);
        }

        if (action is not (AccessAction.Stream or AccessAction.Download or AccessAction.Extract))
        {
            return (true, string.Empty, 0);
        }

        return Content(role, action, resource, purpose, campaigns);
    }

    /// <summary>The conditions on a recording's audio: the campaign's grants and the purpose.</summary>
    private static (bool Allowed, string Reason, int Specificity) Content(
        Role role,
        AccessAction action,
        AccessResource resource,
        AccessPurpose? purpose,
        FrozenDictionary<string, CampaignAccess> campaigns)
    {
        CampaignAccess? campaign = resource.CampaignId is { } id ? campaigns.GetValueOrDefault(id) : null;
        if (resource.Restricted && role != Role.Dpo)
        {
            return (false, "the recording is frozen by a restriction request (GDPR Art. 18): only the dpo may hear it", 2);
        }

        if (role == Role.Dpo)
        {
            // The request is the purpose: the dpo answers it whatever the campaign declared, even one since removed.
            if (resource.RequestId is null)
            {
                return (false, $"a dpo may {Verb(action)} only within a data-subject request", 2);
            }

            return action == AccessAction.Download && campaign is not null && !campaign.DownloadRoles.Contains(role)
                ? (false, $"campaign {campaign.CampaignId} allows no download by a dpo", 2)
                : (true, string.Empty, 0);
        }

        if (campaign is null)
        {
            return (false, $"campaign {resource.CampaignId ?? "(none)"} is not configured: it declares no purpose", 2);
        }

        if (action == AccessAction.Extract)
        {
            if (!campaign.Extracts(role))
            {
                return (false, $"campaign {campaign.CampaignId} does not let {Article(role)} make training extracts", 2);
            }
        }
        else
        {
            if (!campaign.Hears(role))
            {
                return (false, role switch
                {
                    Role.Agent => $"campaign {campaign.CampaignId} does not let agents hear their recordings",
                    Role.Supervisor => $"campaign {campaign.CampaignId} gives supervisors anonymised extracts only",
                    _ => $"campaign {campaign.CampaignId} does not let {Article(role)} hear its recordings",
                }, 2);
            }

            if (action == AccessAction.Download && !campaign.DownloadRoles.Contains(role))
            {
                return (false, $"downloads are off for {Article(role)} in campaign {campaign.CampaignId}", 2);
            }
        }

        if (purpose is null || string.IsNullOrWhiteSpace(purpose.Purpose))
        {
            return (false, $"a purpose is required to {Verb(action)} (campaign {campaign.CampaignId} declares: {string.Join(", ", campaign.Purposes)})", 3);
        }

        if (!campaign.Purposes.Contains(purpose.Purpose, StringComparer.Ordinal))
        {
            return (false, $"purpose '{purpose.Purpose}' is not declared by campaign {campaign.CampaignId} (declared: {string.Join(", ", campaign.Purposes)})", 3);
        }

        if (purpose.Purpose == AccessPurpose.Dispute && string.IsNullOrWhiteSpace(purpose.Reason))
        {
            return (false, "the purpose 'dispute' needs a reason (which dispute, with whom)", 3);
        }

        return (true, string.Empty, 0);
    }

    private static string Article(Role role) => role is Role.Agent or Role.Admin ? $"an {RoleNames.ToCode(role)}" : $"a {RoleNames.ToCode(role)}";

    private static FrozenSet<AccessAction> Set(params AccessAction[] actions) => actions.ToFrozenSet();

    private static FrozenDictionary<string, CampaignAccess> Index(IEnumerable<CampaignAccess> campaigns)
    {
        ArgumentNullException.ThrowIfNull(campaigns);
        return campaigns.ToFrozenDictionary(c => c.CampaignId, StringComparer.Ordinal);
    }
}
