namespace CallSwitch.Retention;

/// <summary>The sidecar's command line, parsed.</summary>
/// <param name="ConfigPath">The configuration file; null for the embedded defaults.</param>
/// <param name="Once">Run once and exit.</param>
/// <param name="DryRun">Print what would be purged; change nothing; run once.</param>
/// <param name="AsOf">The instant to run as of; null for the clock.</param>
internal sealed record SidecarOptions(string? ConfigPath, bool Once, bool DryRun, DateTimeOffset? AsOf);
