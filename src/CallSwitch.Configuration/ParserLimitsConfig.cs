namespace CallSwitch.Configuration;

/// <summary>Bounds on what one received SIP message may cost to parse (key 'limits').</summary>
public sealed record ParserLimitsConfig
{
    /// <summary>Largest whole message in bytes (head and body).</summary>
    public int MaxMessageBytes { get; init; } = 65_535;

    /// <summary>Most header lines in one message.</summary>
    public int MaxHeaderCount { get; init; } = 128;

    /// <summary>Longest single header line in bytes.</summary>
    public int MaxHeaderLineBytes { get; init; } = 4_096;
}
