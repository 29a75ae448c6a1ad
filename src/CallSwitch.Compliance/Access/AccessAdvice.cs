namespace CallSwitch.Compliance.Access;

/// <summary>
/// Access settings the CNIL's guidance flags (../shared/COMPLIANCE-NOTES.md), as warnings for
/// <c>config check</c>: a campaign allowing plain downloads beyond the dpo, supervisors hearing
/// full recordings, agents with no way to call outside the recording. Warnings, not errors: the
/// customer's DPO decides.
/// </summary>
public static class AccessAdvice
{
    /// <summary>The warnings for one campaign's access rules; empty when they follow the guidance.</summary>
    public static IReadOnlyList<string> For(CampaignAccess access)
    {
        ArgumentNullException.ThrowIfNull(access);
        var warnings = new List<string>();
        Role[] downloaders = RoleNames.All.Where(r => r != Role.Dpo && access.DownloadRoles.Contains(r)).ToArray();
        if (downloaders.Length > 0)
        {
            warnings.Add(
                $"campaign {access.CampaignId} lets {string.Join(", ", downloaders.Select(RoleNames.ToCode))} download plain files: " +
                "the CNIL asks for listening without local copies; keep downloads to the dpo, for a stated reason");
        }

        if (access.Hears(Role.Supervisor))
        {
            warnings.Add(
                $"campaign {access.CampaignId} lets supervisors hear full recordings: least privilege gives them anonymised training extracts, not the calls");
        }

        return warnings;
    }

    /// <summary>The warning for agents without a private-call prefix; null when every agent has one.</summary>
    public static string? WithoutPrivatePrefix(IReadOnlyCollection<string> agents)
    {
        ArgumentNullException.ThrowIfNull(agents);
        return agents.Count == 0
            ? null
            : $"agent(s) {string.Join(", ", agents)} have no private-call prefix: the CNIL asks that staff, their representatives above all, can call outside the recording (private_calls)";
    }
}
