namespace CallSwitch.Configuration;

/// <summary>
/// The whole configuration of one switch, as loaded and checked from YAML. Immutable: a reload
/// builds a new one and swaps it whole, so a reader never sees half of a change.
/// </summary>
public sealed record SwitchConfig
{
    /// <summary>The digest realm agents authenticate in (RFC 3261 §22.1).</summary>
    public string Realm { get; init; } = "callswitch";

    /// <summary>The Server / User-Agent header value.</summary>
    public string UserAgent { get; init; } = "CallSwitch";

    /// <summary>The SIP listeners.</summary>
    public IReadOnlyList<ListenConfig> Listen { get; init; } = [];

    /// <summary>Parser limits for every message received.</summary>
    public ParserLimitsConfig Limits { get; init; } = new();

    /// <summary>Authentication and brute-force settings.</summary>
    public AuthConfig Auth { get; init; } = new();

    /// <summary>Registrar limits.</summary>
    public RegistrarConfig Registrar { get; init; } = new();

    /// <summary>The RTP relay's addresses, port range and timeout.</summary>
    public MediaConfig Media { get; init; } = new();

    /// <summary>The spool and data directories.</summary>
    public required PathsConfig Paths { get; init; }

    /// <summary>The region (ISO 3166 alpha-2, e.g. FR) national numbers are read in.</summary>
    public string Country { get; init; } = "FR";

    /// <summary>Logging.</summary>
    public LoggingConfig Logging { get; init; } = new();

    /// <summary>The agents.</summary>
    public IReadOnlyList<AgentConfig> Agents { get; init; } = [];

    /// <summary>The trunks to carriers.</summary>
    public IReadOnlyList<TrunkConfig> Trunks { get; init; } = [];

    /// <summary>The campaigns.</summary>
    public IReadOnlyList<CampaignConfig> Campaigns { get; init; } = [];

    /// <summary>The inbound numbers (DIDs) and where their calls go.</summary>
    public IReadOnlyList<InboundRouteConfig> Inbound { get; init; } = [];

    /// <summary>The HTTP API for the agents' CRM; null when the configuration has no 'api' section (no API).</summary>
    public ApiConfig? Api { get; init; }

    /// <summary>The retention sidecar's settings ('retention').</summary>
    public RetentionConfig Retention { get; init; } = new();

    /// <summary>Supervisors on live calls: feature codes, mode keys, the agent's tone.</summary>
    public SupervisionConfig Supervision { get; init; } = new();

    /// <summary>The private-call prefixes (none by default).</summary>
    public PrivateCallsConfig PrivateCalls { get; init; } = new();

    /// <summary>The web console; null when the configuration has no 'console' section (no console).</summary>
    public ConsoleConfig? Console { get; init; }

    /// <summary>Finds an agent by extension.</summary>
    public AgentConfig? FindAgent(string extension) =>
        Agents.FirstOrDefault(a => string.Equals(a.Extension, extension, StringComparison.Ordinal));

    /// <summary>Finds a trunk by id.</summary>
    public TrunkConfig? FindTrunk(string id) =>
        Trunks.FirstOrDefault(t => string.Equals(t.Id, id, StringComparison.Ordinal));

    /// <summary>Finds a campaign by id.</summary>
    public CampaignConfig? FindCampaign(string id) =>
        Campaigns.FirstOrDefault(c => string.Equals(c.Id, id, StringComparison.Ordinal));

    /// <summary>Finds the route of an inbound number, given in E.164.</summary>
    public InboundRouteConfig? FindInbound(string e164) =>
        Inbound.FirstOrDefault(r => string.Equals(r.Did, e164, StringComparison.Ordinal));

    /// <summary>The caller id a campaign's calls carry: the campaign's own, else its trunk's.</summary>
    public string? EffectiveCallerId(CampaignConfig campaign)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        return campaign.CallerId ?? FindTrunk(campaign.Trunk)?.CallerId;
    }
}
