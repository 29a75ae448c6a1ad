namespace CallSwitch.Compliance.Access;

/// <summary>What a role grant covers.</summary>
public enum ScopeKind
{
    /// <summary>Every team and campaign.</summary>
    All,

    /// <summary>One team's agents and their calls.</summary>
    Team,

    /// <summary>One campaign's calls and recordings.</summary>
    Campaign,

    /// <summary>One agent's calls and recordings (an API client acting for the agents of its CRM).</summary>
    Agent,
}
