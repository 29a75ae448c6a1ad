using CallSwitch.Compliance.Access;
using CallSwitch.Compliance.Rules;
using YamlDotNet.RepresentationModel;

namespace CallSwitch.Configuration;

/// <summary>
/// Reads a campaign's 'access' section into its <see cref="CampaignAccess"/>: which roles may hear
/// the full recordings (<c>listen</c>), make anonymised training extracts (<c>extract</c>),
/// download (<c>download</c>), whether agents hear their own calls (<c>agents_hear_own</c>), the
/// purposes a listener may give (<c>purposes</c>, among the recording rule's), and the training
/// extracts' rule (<c>extract_retention_days</c>, <c>extract_sample_per_agent</c>). Absent keys
/// keep the least-privilege defaults.
/// </summary>
internal static class AccessSectionReader
{
    private static readonly Role[] Listeners = [Role.Supervisor, Role.Quality, Role.Manager];

    private static readonly Role[] Downloaders = [Role.Agent, Role.Supervisor, Role.Quality, Role.Manager, Role.Dpo];

    public static CampaignAccess? Read(YamlNodeReader r, YamlMappingNode? m, RecordingRule rule)
    {
        if (m is null)
        {
            return null;
        }

        r.CheckKeys(m, "'access'", "listen", "extract", "download", "agents_hear_own", "purposes", "extract_retention_days", "extract_sample_per_agent");
        CampaignAccess defaults = CampaignAccess.FromRule(rule);
        return defaults with
        {
            ListenRoles = Roles(r, m, "listen", Listeners, WhyNotListener) ?? defaults.ListenRoles,
            ExtractRoles = Roles(r, m, "extract", Listeners, WhyNotExtractor) ?? defaults.ExtractRoles,
            DownloadRoles = Roles(r, m, "download", Downloaders, _ => "an admin never hears recordings") ?? defaults.DownloadRoles,
            AgentsListen = r.Bool(m, "agents_hear_own", defaults.AgentsListen),
            Purposes = Purposes(r, m, rule) ?? defaults.Purposes,

            // CNIL: recordings for training are kept at most 6 months; a training copy, less.
            ExtractRetentionDays = r.Int(m, "extract_retention_days", defaults.ExtractRetentionDays, 1, 183),
            ExtractSamplePerAgent = r.Int(m, "extract_sample_per_agent", defaults.ExtractSamplePerAgent, 1, 100),
        };
    }

    private static HashSet<Role>? Roles(YamlNodeReader r, YamlMappingNode m, string key, Role[] allowed, Func<Role, string> whyNot)
    {
        if (r.Strings(m, key) is not { } entries)
        {
            return null;
        }

        var roles = new HashSet<Role>();
        foreach (var (text, node) in entries)
        {
            if (!RoleNames.TryParse(text, out Role? role))
            {
                r.Error(node, $"'{text}' is not a role ({string.Join(", ", allowed.Select(RoleNames.ToCode))})");
            }
            else if (Array.IndexOf(allowed, role.Value) < 0)
            {
                r.Error(node, $"'{key}' cannot list {RoleNames.ToCode(role.Value)}: {whyNot(role.Value)}");
            }
            else if (!roles.Add(role.Value))
            {
                r.Error(node, $"role '{RoleNames.ToCode(role.Value)}' is listed twice in '{key}'");
            }
        }

        return roles;
    }

    private static string WhyNotListener(Role role) => role switch
    {
        Role.Agent => "agents hear only their own calls (agents_hear_own)",
        Role.Dpo => "a dpo listens within a data-subject request, whatever the campaign",
        _ => "an admin never hears recordings",
    };

    private static string WhyNotExtractor(Role role) => role switch
    {
        Role.Agent => "agents hear only their own calls (agents_hear_own)",
        Role.Dpo => "a dpo has no use for training extracts",
        _ => "an admin never hears recordings",
    };

    private static List<string>? Purposes(YamlNodeReader r, YamlMappingNode m, RecordingRule rule)
    {
        if (r.Strings(m, "purposes") is not { } entries)
        {
            return null;
        }

        var purposes = new List<string>();
        foreach (var (purpose, node) in entries)
        {
            // GDPR Art. 5(1)(b): the recordings serve the purposes they were collected for, no other.
            if (!rule.Purposes.Contains(purpose, StringComparer.Ordinal))
            {
                r.Error(node, $"listening purpose '{purpose}' is not one of the campaign's recording purposes ({string.Join(", ", rule.Purposes)})");
            }
            else if (purposes.Contains(purpose, StringComparer.Ordinal))
            {
                r.Error(node, $"purpose '{purpose}' is listed twice");
            }
            else
            {
                purposes.Add(purpose);
            }
        }

        return purposes;
    }
}
