namespace CallSwitch.Configuration;

/// <summary>
/// The private-call prefixes (the 'private_calls' section, and an agent's own
/// <c>private_prefix</c>): digits an agent dials before a number to place a call outside the
/// recording and supervision — the CNIL asks that staff, their representatives above all, can
/// call without being recorded. Such a call is never recorded nor monitored, and is stored as
/// private, without the number. None by default.
/// </summary>
public sealed record PrivateCallsConfig
{
    /// <summary>The prefix for every agent, if any.</summary>
    public string? Prefix { get; init; }

    /// <summary>A prefix per team, overriding <see cref="Prefix"/> for the team's agents.</summary>
    public IReadOnlyDictionary<string, string> Teams { get; init; } = new Dictionary<string, string>();

    /// <summary>The prefix an agent dials for a private call: their own, else their team's, else everyone's; null when none.</summary>
    public string? PrefixOf(AgentConfig agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        return agent.PrivatePrefix
            ?? (agent.Team is { } team && Teams.TryGetValue(team, out string? teamPrefix) ? teamPrefix : null)
            ?? Prefix;
    }
}
