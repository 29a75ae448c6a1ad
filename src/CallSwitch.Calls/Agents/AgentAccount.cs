using CallSwitch.Configuration;

namespace CallSwitch.Calls.Agents;

/// <summary>
/// An agent's SIP account. The password is never stored: only the digest HA1 values for the
/// switch's realm (RFC 7616 §3.4.2), one per algorithm the switch challenges with.
/// </summary>
public sealed record AgentAccount(string Extension, string? DisplayName, string? Ha1Md5, string? Ha1Sha256)
{
    /// <summary>The agent's team, when in one.</summary>
    public string? Team { get; init; }

    /// <summary>The campaigns the agent may call for; the first is the default.</summary>
    public IReadOnlyList<string> Campaigns { get; init; } = [];

    /// <summary>What the agent may do.</summary>
    public AgentRole Role { get; init; } = AgentRole.Agent;

    /// <summary>The campaign used when the agent dials without choosing one; null when the agent has none.</summary>
    public string? DefaultCampaign => Campaigns.Count > 0 ? Campaigns[0] : null;
}
