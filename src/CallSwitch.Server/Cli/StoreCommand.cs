using CallSwitch.Compliance.Storage.Sqlite;
using CallSwitch.Configuration;

namespace CallSwitch.Server.Cli;

/// <summary>What the commands on the metadata store (recordings, receipts, holds, retention, users, audit, kpi) share: the configuration, every error printed, then the store in its <c>paths.data</c>.</summary>
internal static class StoreCommand
{
    /// <summary>Loads the configuration; prints its errors and returns null when it has some.</summary>
    public static SwitchConfig? LoadConfig(string? configPath, Func<string?, ConfigLoadResult> load, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(load);
        var (config, errors) = load(configPath);
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
        SwitchConfig? config = LoadConfig(path, load, error);
        exitCode = config is null ? 2 : HasStore(config, error) ? 0 : 1;
        return exitCode == 0 ? config : null;
    }

    /// <summary>Whether the store exists (a tool never creates one); prints where it was looked for when not.</summary>
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

    /// <summary>Opens the store of <paramref name="config"/> (migrating it if older).</summary>
    public static SqliteMetadataStore OpenStore(SwitchConfig config) =>
        SqliteMetadataStore.Open(new SqliteMetadataStoreOptions { DataDirectory = config.Paths.Data });
}
