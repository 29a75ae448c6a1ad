using CallSwitch.Compliance.Configuration;
using CallSwitch.Server.Configuration;

namespace CallSwitch.Server.Tests.Configuration;

/// <summary>
/// Folders where the shipped configuration's relative paths resolve: announcements/gdpr-notice-fr.wav
/// and -en.wav as small valid WAV files made by the test, so that tests do not depend on the
/// working copy's own announcement files.
/// </summary>
internal static class ConfigFixture
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

    /// <summary>Writes a valid WAV file (16-bit PCM, mono, 8 kHz, 100 ms of silence).</summary>
    public static void WriteWav(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        const int samples = 800;
        using var writer = new BinaryWriter(File.Create(path));
        writer.Write("RIFF"u8);
        writer.Write(36 + (samples * 2));
        writer.Write("WAVEfmt "u8);
        writer.Write(16);
        writer.Write((short)1);
        writer.Write((short)1);
        writer.Write(8000);
        writer.Write(16000);
        writer.Write((short)2);
        writer.Write((short)16);
        writer.Write("data"u8);
        writer.Write(samples * 2);
        writer.Write(new byte[samples * 2]);
    }

    internal static string FindRepositoryRoot()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "CallSwitch.sln")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        return dir ?? throw new InvalidOperationException("Repository root (CallSwitch.sln) not found above " + AppContext.BaseDirectory);
    }
}
