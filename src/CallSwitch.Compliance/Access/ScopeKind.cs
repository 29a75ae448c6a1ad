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
}
