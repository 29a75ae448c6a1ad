namespace CallSwitch.Configuration;

/// <summary>
/// Where the switch keeps files (key 'switch.paths'). Paths are absolute, resolved against the
/// configuration file's folder; the loader does not create them, the switch does at start.
/// </summary>
public sealed record PathsConfig
{
    /// <summary>The spool directory for recordings.</summary>
    public required string Spool { get; init; }

    /// <summary>The data directory for the metadata database.</summary>
    public required string Data { get; init; }
}
