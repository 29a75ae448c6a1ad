namespace CallSwitch.Configuration;

/// <summary>Log level and format (text: one readable line per event; json: one compact JSON object per line).</summary>
public sealed record LoggingConfig
{
    /// <summary>Minimum level: verbose, debug, information, warning, error, fatal.</summary>
    public LogLevel Level { get; init; } = LogLevel.Information;

    /// <summary>Output format.</summary>
    public LogFormat Format { get; init; } = LogFormat.Text;

    /// <summary>
    /// Phone numbers in clear in log lines, for debugging (said in a warning at start). Off: every
    /// number is masked (<c>+*********78</c>), so erasing a number never has to chase log files.
    /// </summary>
    public bool UnmaskNumbers { get; init; }
}
