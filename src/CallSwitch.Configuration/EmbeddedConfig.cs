using System.Reflection;
using CallSwitch.Configuration;

namespace CallSwitch.Configuration;

/// <summary>The configuration embedded in the executable: config/callswitch.yaml at build time.</summary>
public static class EmbeddedConfig
{
    /// <summary>The name shown in errors for the embedded configuration.</summary>
    public const string Name = "<embedded callswitch.yaml>";

    /// <summary>The embedded text.</summary>
    public static string Text()
    {
        using Stream stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("CallSwitch.Configuration.callswitch.yaml")
            ?? throw new InvalidOperationException("The embedded configuration is missing from the build.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>
    /// The folder the embedded configuration's relative paths start at: it is config/callswitch.yaml,
    /// so they resolve as if it were read from ./config (run from the repository root, its
    /// announcements are found where they are shipped).
    /// </summary>
    public static string DefaultBaseDirectory() => Path.Combine(Directory.GetCurrentDirectory(), "config");

    /// <summary>Loads and checks the embedded configuration, relative paths resolved against <paramref name="baseDirectory"/> (default: ./config).</summary>
    public static ConfigLoadResult Load(string? baseDirectory = null) =>
        ConfigLoader.Load(Text(), Name, new ConfigLoadOptions { BaseDirectory = baseDirectory ?? DefaultBaseDirectory() });
}
