namespace CallSwitch.Configuration.Tests;

/// <summary>Temporary folders holding configuration files and the small WAV files they refer to.</summary>
internal static class TestFiles
{
    /// <summary>Creates an empty temporary folder.</summary>
    public static string NewFolder() => Directory.CreateTempSubdirectory("callswitch-compliance-").FullName;

    /// <summary>Writes a small valid WAV file (see <see cref="TestSupport.TestWav"/>).</summary>
    public static string WriteWav(string path) => TestSupport.TestWav.Write(path);

    /// <summary>Creates a folder with announcements/gdpr-notice-fr.wav and -en.wav, as shipped in config/.</summary>
    public static string NewConfigFolder()
    {
        string folder = NewFolder();
        WriteWav(Path.Combine(folder, "announcements", "gdpr-notice-fr.wav"));
        WriteWav(Path.Combine(folder, "announcements", "gdpr-notice-en.wav"));
        return folder;
    }

    internal static string FindRepositoryRoot() => TestSupport.RepositoryRoot.Find();
}
