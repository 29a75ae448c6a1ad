namespace CallSwitch.Calls.Routing;

/// <summary>
/// Everything routing needs, as one immutable snapshot: a configuration reload builds a new
/// table and swaps it whole, so a call in progress keeps the table it started with.
/// </summary>
public sealed record RoutingTable
{
    public IReadOnlyDictionary<string, Trunk> Trunks { get; init; } = new Dictionary<string, Trunk>();

    public IReadOnlyDictionary<string, Campaign> Campaigns { get; init; } = new Dictionary<string, Campaign>();

    /// <summary>The campaigns each agent may use, the default first.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> AgentCampaigns { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>The agents of each team.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Teams { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    public IReadOnlyDictionary<string, InboundRoute> Inbound { get; init; } = new Dictionary<string, InboundRoute>();

    /// <summary>Every agent extension: dialling one calls that agent (an internal call, no trunk, no notice).</summary>
    public IReadOnlySet<string> Extensions { get; init; } = new HashSet<string>();

    /// <summary>
    /// Each agent's private-call prefix (agents without one are absent): dialled before a number,
    /// the call is placed outside the recording and supervision, and stored without the number.
    /// </summary>
    public IReadOnlyDictionary<string, string> PrivatePrefixes { get; init; } = new Dictionary<string, string>();

    /// <summary>An empty table: every call is refused with a clear status.</summary>
    public static RoutingTable Empty { get; } = new();
}
