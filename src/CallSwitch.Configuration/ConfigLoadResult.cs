namespace CallSwitch.Configuration;

/// <summary>What loading a configuration gave: a configuration when there is no error, otherwise every error.</summary>
public sealed record ConfigLoadResult(SwitchConfig? Config, IReadOnlyList<ConfigError> Errors);
