namespace CallSwitch.Configuration;

/// <summary>Where a call to one of the switch's numbers goes (an entry of 'inbound'). Exactly one of agent or team is set.</summary>
public sealed record InboundRouteConfig
{
    /// <summary>The called number, normalised to E.164.</summary>
    public required string Did { get; init; }

    /// <summary>The extension of the agent that takes the call.</summary>
    public string? Agent { get; init; }

    /// <summary>The team whose agents take the call.</summary>
    public string? Team { get; init; }

    /// <summary>The campaign the call belongs to (its recording rules apply), if any.</summary>
    public string? Campaign { get; init; }
}
