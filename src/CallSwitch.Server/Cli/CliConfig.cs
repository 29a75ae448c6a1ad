using CallSwitch.Configuration;

namespace CallSwitch.Server.Cli;

/// <summary>The configuration as the store commands (recordings, users, audit) load it: every error printed, null when invalid.</summary>
internal static class CliConfig
{
    /// <summary>Loads the configuration; on errors prints each and a count, and returns null (exit code 2).</summary>
    public static SwitchConfig? Load(Func<string?, ConfigLoadResult> load, string? path, TextWriter error)
    {
        var (config, errors) = load(path);
        if (config is not null)
        {
            return config;
        }

        foreach (ConfigError e in errors)
        {
            error.WriteLine(e.ToString());
        }

        error.WriteLine($"{errors.Count} error(s) in the configuration");
        return null;
    }
}
