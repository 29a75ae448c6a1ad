namespace CallSwitch.Sip.Parsing;

/// <summary>Limits that bound what one message may cost to parse; set from the switch's configuration.</summary>
public sealed record SipParserLimits
{
    /// <summary>Largest whole message in bytes (head and body).</summary>
    public int MaxMessageBytes { get; init; } = 65_535;

    /// <summary>Largest head (start line and headers) in bytes.</summary>
    public int MaxHeadBytes { get; init; } = 16_384;

    /// <summary>Most header lines in one message (each Via line counts).</summary>
    public int MaxHeaderCount { get; init; } = 128;

    /// <summary>Longest single header line, folding included.</summary>
    public int MaxHeaderLineBytes { get; init; } = 4_096;

    /// <summary>The defaults.</summary>
    public static SipParserLimits Default { get; } = new();
}
