using YamlDotNet.RepresentationModel;

namespace CallSwitch.Configuration;

/// <summary>Reads 'inbound': each DID, normalised to E.164, and its target, which must exist.</summary>
internal static class InboundSectionReader
{
    public static List<InboundRouteConfig> Read(ConfigReadContext ctx, YamlSequenceNode? list, IReadOnlyList<AgentConfig> agents, IReadOnlyList<CampaignConfig> campaigns)
    {
        YamlNodeReader r = ctx.Reader;
        var result = new List<InboundRouteConfig>();
        if (list is null)
        {
            return result;
        }

        foreach (YamlNode item in list)
        {
            YamlMappingNode? m = r.Mapping(item, "an inbound number");
            if (m is null)
            {
                continue;
            }

            r.CheckKeys(m, "an inbound number", "did", "agent", "team", "campaign");
            string? did = ctx.PhoneNumber(m, "did", required: true);
            string? agent = r.String(m, "agent");
            string? team = r.String(m, "team");
            string? campaign = r.String(m, "campaign");
            if ((agent is null) == (team is null))
            {
                r.Error(m, $"inbound number '{did}' needs exactly one target: 'agent' (an extension) or 'team'");
            }

            if (agent is not null && !agents.Any(a => a.Extension == agent))
            {
                r.Error(r.Child(m, "agent")!, $"inbound number '{did}' goes to agent '{agent}', which is not defined");
            }

            if (team is not null && !agents.Any(a => a.Team == team))
            {
                r.Error(r.Child(m, "team")!, $"inbound number '{did}' goes to team '{team}', which no agent is in ({AgentSectionReader.Known(agents.Select(a => a.Team).OfType<string>().Distinct())})");
            }

            if (campaign is not null && !campaigns.Any(c => c.Id == campaign))
            {
                r.Error(r.Child(m, "campaign")!, $"inbound number '{did}' belongs to campaign '{campaign}', which is not defined ({AgentSectionReader.Known(campaigns.Select(c => c.Id))})");
            }

            if (did is null)
            {
                continue;
            }

            if (result.Any(x => x.Did == did))
            {
                r.Error(r.Child(m, "did")!, $"inbound number {did} is given twice");
                continue;
            }

            result.Add(new InboundRouteConfig { Did = did, Agent = agent, Team = team, Campaign = campaign });
        }

        return result;
    }
}
