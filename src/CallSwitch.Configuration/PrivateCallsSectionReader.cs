using YamlDotNet.RepresentationModel;

namespace CallSwitch.Configuration;

/// <summary>
/// Reads 'private_calls' and checks every private-call prefix (everyone's, a team's, an agent's):
/// 1 to 8 keypad keys, and none that begins or is begun by a campaign's dial prefix or a
/// supervision code (the switch could not tell which was meant).
/// </summary>
internal static class PrivateCallsSectionReader
{
    private const string KeypadKeys = "0123456789*#";

    public static PrivateCallsConfig Read(YamlNodeReader r, YamlMappingNode? m, IReadOnlyList<CampaignConfig> campaigns, SupervisionConfig supervision, IReadOnlyList<AgentConfig> agents)
    {
        if (m is null)
        {
            return new PrivateCallsConfig();
        }

        r.CheckKeys(m, "'private_calls'", "prefix", "teams");
        string? prefix = Prefix(r, m, "prefix", campaigns, supervision);
        var teams = new Dictionary<string, string>(StringComparer.Ordinal);
        YamlMappingNode? teamsNode = r.Mapping(r.Child(m, "teams"), "'teams'");
        foreach ((YamlNode keyNode, YamlNode valueNode) in teamsNode?.Children ?? Enumerable.Empty<KeyValuePair<YamlNode, YamlNode>>())
        {
            string team = (keyNode as YamlScalarNode)?.Value ?? string.Empty;
            if (!agents.Any(a => a.Team == team))
            {
                r.Error(keyNode, $"team '{team}' has no agent ({AgentSectionReader.Known(agents.Select(a => a.Team).OfType<string>().Distinct())})");
            }

            if (Check(r, valueNode, (valueNode as YamlScalarNode)?.Value, campaigns, supervision) is { } teamPrefix)
            {
                teams[team] = teamPrefix;
            }
        }

        return new PrivateCallsConfig { Prefix = prefix, Teams = teams };
    }

    /// <summary>Reads and checks a prefix under <paramref name="key"/>; null when absent or wrong (an error is reported).</summary>
    public static string? Prefix(YamlNodeReader r, YamlMappingNode m, string key, IReadOnlyList<CampaignConfig> campaigns, SupervisionConfig supervision) =>
        r.Child(m, key) is { } node ? Check(r, node, r.String(m, key), campaigns, supervision) : null;

    private static string? Check(YamlNodeReader r, YamlNode node, string? prefix, IReadOnlyList<CampaignConfig> campaigns, SupervisionConfig supervision)
    {
        if (prefix is null || prefix.Length is < 1 or > 8 || !prefix.All(c => KeypadKeys.Contains(c, StringComparison.Ordinal)))
        {
            r.Error(node, $"a private-call prefix must be 1 to 8 keypad keys (0-9, * or #), not '{prefix}'");
            return null;
        }

        static bool Clash(string a, string b) => a.StartsWith(b, StringComparison.Ordinal) || b.StartsWith(a, StringComparison.Ordinal);
        if (campaigns.FirstOrDefault(c => c.DialPrefix is { } p && Clash(p, prefix)) is { } campaign)
        {
            r.Error(node, $"private-call prefix '{prefix}' clashes with campaign '{campaign.Id}''s dial prefix '{campaign.DialPrefix}': no prefix may begin another");
            return null;
        }

        if (new[] { supervision.ListenCode, supervision.WhisperCode, supervision.BargeCode }.FirstOrDefault(code => Clash(code, prefix)) is { } taken)
        {
            r.Error(node, $"private-call prefix '{prefix}' clashes with supervision code '{taken}': no prefix may begin another");
            return null;
        }

        return prefix;
    }
}
