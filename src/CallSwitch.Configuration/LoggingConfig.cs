namespace CallSwitch.Configuration;

/// <summary>Log level and format (text: one readable line per event; json: one compact JSON object per line).</summary>
public sealed record LoggingConfig
{
    /// <summary>Minimum level: verbose, debug, information, warning, error, fatal.</summary>
    public LogLevel Level { get; init; } = LogLevel.Information;

    /// <summary>Output format.</summary>
    public LogFormat Format { get; init; } = LogFormat.Text;
}
