using CallSwitch.TestSupport;
using CallSwitch.Configuration;

namespace CallSwitch.TestSupport;

/// <summary>
/// Folders where the shipped configuration's relative paths resolve: announcements/gdpr-notice-fr.wav
/// and -en.wav as small valid WAV files made by the test, so that tests do not depend on the
/// working copy's own announcement files.
/// </summary>
public static class ConfigFixture
{
    private static readonly Lazy<string> SharedFolder = new(NewConfigFolder);

    /// <summary>One folder for the whole test run, holding the announcements.</summary>
    public static string Folder => SharedFolder.Value;

    /// <summary>Loads the embedded defaults, relative paths resolved in <see cref="Folder"/>.</summary>
    public static ConfigLoadResult LoadEmbedded() => EmbeddedConfig.Load(Folder);

    /// <summary>Creates a new folder holding the announcements.</summary>
    public static string NewConfigFolder()
    {
        string folder = Directory.CreateTempSubdirectory("callswitch-server-").FullName;
        WriteWav(Path.Combine(folder, "announcements", "gdpr-notice-fr.wav"));
        WriteWav(Path.Combine(folder, "announcements", "gdpr-notice-en.wav"));
        return folder;
    }

    /// <summary>Writes <paramref name="yaml"/> as callswitch.yaml in a new folder holding the announcements; returns its path.</summary>
    public static string WriteConfig(string yaml)
    {
        string path = Path.Combine(NewConfigFolder(), "callswitch.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    /// <summary>Writes a small valid WAV file (see <see cref="TestWav"/>).</summary>
    public static void WriteWav(string path) => TestWav.Write(path);

    /// <summary>
    /// The embedded configuration with its store and spool beside the file that holds it
    /// (<c>./data</c>, <c>./spool</c>), never the shared <c>../var</c> of the defaults.
    /// </summary>
    public static string LocalYaml => EmbeddedConfig.Text()
        .Replace("spool: ../var/spool", "spool: ./spool", StringComparison.Ordinal)
        .Replace("data: ../var/data", "data: ./data", StringComparison.Ordinal);

    /// <summary>Writes <see cref="LocalYaml"/>, after <paramref name="edit"/>, in a new folder holding the announcements; returns its path.</summary>
    public static string WriteLocalConfig(Func<string, string>? edit = null) =>
        WriteConfig(edit is null ? LocalYaml : edit(LocalYaml));
}
