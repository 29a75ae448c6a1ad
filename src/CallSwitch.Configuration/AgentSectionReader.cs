using YamlDotNet.RepresentationModel;

namespace CallSwitch.Configuration;

/// <summary>Reads 'agents', checking that each agent's campaigns exist.</summary>
internal static class AgentSectionReader
{
    public static List<AgentConfig> Read(ConfigReadContext ctx, YamlSequenceNode? list, IReadOnlyList<CampaignConfig> campaigns, SupervisionConfig supervision)
    {
        YamlNodeReader r = ctx.Reader;
        var result = new List<AgentConfig>();
        if (list is null)
        {
            return result;
        }

        foreach (YamlNode item in list)
        {
            YamlMappingNode? m = r.Mapping(item, "an agent");
            if (m is null)
            {
                continue;
            }

            r.CheckKeys(m, "an agent", "extension", "display_name", "ha1_md5", "ha1_sha256", "team", "campaigns", "role", "private_prefix");
            string? extension = r.String(m, "extension", required: true);
            string? md5 = r.String(m, "ha1_md5");
            string? sha = r.String(m, "ha1_sha256");
            if (extension is not null && !extension.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_'))
            {
                r.Error(r.Child(m, "extension")!, $"extension '{extension}' may hold only letters, digits, '.', '-' and '_'");
            }

            CheckHex(r, m, "ha1_md5", md5, 32);
            CheckHex(r, m, "ha1_sha256", sha, 64);
            if (md5 is null && sha is null)
            {
                r.Error(m, $"agent '{extension}' needs ha1_md5 and/or ha1_sha256 (make them with: callswitch hash-password)");
            }

            var agent = new AgentConfig
            {
                Extension = extension ?? string.Empty,
                DisplayName = r.String(m, "display_name"),
                Ha1Md5 = md5?.ToLowerInvariant(),
                Ha1Sha256 = sha?.ToLowerInvariant(),
                Team = ctx.Token(m, "team", "team"),
                Campaigns = ReadCampaigns(r, m, extension, campaigns),
                Role = r.Enum(m, "role", AgentRole.Agent),
                PrivatePrefix = PrivateCallsSectionReader.Prefix(r, m, "private_prefix", campaigns, supervision),
            };

            if (extension is not null && result.Any(a => a.Extension == extension))
            {
                r.Error(m, $"agent extension '{extension}' is given twice");
                continue;
            }

            if (extension is not null)
            {
                result.Add(agent);
            }
        }

        return result;
    }

    private static List<string> ReadCampaigns(YamlNodeReader r, YamlMappingNode m, string? extension, IReadOnlyList<CampaignConfig> campaigns)
    {
        var result = new List<string>();
        foreach (var (id, node) in r.Strings(m, "campaigns") ?? [])
        {
            if (!campaigns.Any(c => c.Id == id))
            {
                r.Error(node, $"agent '{extension}' is given campaign '{id}', which is not defined ({Known(campaigns.Select(c => c.Id))})");
            }
            else if (result.Contains(id))
            {
                r.Error(node, $"campaign '{id}' is listed twice");
            }
            else
            {
                result.Add(id);
            }
        }

        return result;
    }

    internal static string Known(IEnumerable<string> ids)
    {
        string list = string.Join(", ", ids);
        return list.Length == 0 ? "none is defined" : "defined: " + list;
    }

    private static void CheckHex(YamlNodeReader r, YamlMappingNode m, string key, string? value, int length)
    {
        if (value is not null && (value.Length != length || !value.All(char.IsAsciiHexDigit)))
        {
            r.Error(r.Child(m, key)!, $"'{key}' must be {length} hexadecimal digits");
        }
    }
}
