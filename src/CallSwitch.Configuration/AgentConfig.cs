namespace CallSwitch.Configuration;

/// <summary>
/// An agent (an entry of 'agents'). The password is never stored: only the digest HA1 values
/// for the switch's realm (RFC 7616 §3.4.2).
/// </summary>
public sealed record AgentConfig
{
    /// <summary>The extension, also the digest username.</summary>
    public required string Extension { get; init; }

    /// <summary>The name shown to others.</summary>
    public string? DisplayName { get; init; }

    /// <summary>H(extension:realm:password) with MD5, lower-case hex.</summary>
    public string? Ha1Md5 { get; init; }

    /// <summary>H(extension:realm:password) with SHA-256, lower-case hex.</summary>
    public string? Ha1Sha256 { get; init; }

    /// <summary>The agent's team, when in one (inbound DIDs may target a team).</summary>
    public string? Team { get; init; }

    /// <summary>The campaigns the agent may call for; the first is the default.</summary>
    public IReadOnlyList<string> Campaigns { get; init; } = [];

    /// <summary>The agent's role.</summary>
    public AgentRole Role { get; init; } = AgentRole.Agent;

    /// <summary>The agent's own private-call prefix, overriding the team's and everyone's (<see cref="PrivateCallsConfig.PrefixOf"/>).</summary>
    public string? PrivatePrefix { get; init; }
}
