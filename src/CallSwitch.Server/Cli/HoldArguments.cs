namespace CallSwitch.Server.Cli;

/// <summary>The values of <c>holds add</c>, as parsed.</summary>
internal sealed record HoldArguments
{
    /// <summary>The configuration file; null for the embedded defaults.</summary>
    public string? Config { get; init; }

    /// <summary>A recording's id.</summary>
    public string? Recording { get; init; }

    /// <summary>A call's id.</summary>
    public string? Call { get; init; }

    /// <summary>A phone number as people write it.</summary>
    public string? Number { get; init; }

    /// <summary>A campaign's id.</summary>
    public string? Campaign { get; init; }

    /// <summary>The range's start.</summary>
    public string? From { get; init; }

    /// <summary>The range's end (a bare date includes the day).</summary>
    public string? To { get; init; }

    /// <summary>Why.</summary>
    public required string Reason { get; init; }

    /// <summary>Who asked.</summary>
    public required string RequestedBy { get; init; }

    /// <summary>When it lapses.</summary>
    public string? Expires { get; init; }
}
