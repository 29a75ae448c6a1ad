using CallSwitch.Compliance.Storage.Sqlite;
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

    /// <summary>
    /// Loads the configuration of a command that reads the store: null with the exit code (2 for an
    /// invalid configuration, 1 for a missing store) after saying why.
    /// </summary>
    public static SwitchConfig? LoadWithStore(Func<string?, ConfigLoadResult> load, string? path, TextWriter error, out int exitCode)
    {
        SwitchConfig? config = Load(load, path, error);
        exitCode = config is null ? 2 : HasStore(config, error) ? 0 : 1;
        return exitCode == 0 ? config : null;
    }

    /// <summary>Whether the configuration's data directory holds a metadata store; says so when not (exit code 1).</summary>
    public static bool HasStore(SwitchConfig config, TextWriter error)
    {
        string database = Path.Combine(config.Paths.Data, SqliteMetadataStoreOptions.DefaultFileName);
        if (File.Exists(database))
        {
            return true;
        }

        error.WriteLine($"no metadata store at {database}");
        return false;
    }
}
