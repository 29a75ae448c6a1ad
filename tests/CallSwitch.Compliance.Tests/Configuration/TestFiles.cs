namespace CallSwitch.Compliance.Tests.Configuration;

/// <summary>Temporary folders holding configuration files and the small WAV files they refer to.</summary>
internal static class TestFiles
{
    /// <summary>Creates an empty temporary folder.</summary>
    public static string NewFolder() => Directory.CreateTempSubdirectory("callswitch-compliance-").FullName;

    /// <summary>Writes a valid WAV file (16-bit PCM, mono, 8 kHz, 100 ms of silence) and returns its path.</summary>
    public static string WriteWav(string path)
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
        return path;
    }

    /// <summary>Creates a folder with announcements/gdpr-notice-fr.wav and -en.wav, as shipped in config/.</summary>
    public static string NewConfigFolder()
    {
        string folder = NewFolder();
        WriteWav(Path.Combine(folder, "announcements", "gdpr-notice-fr.wav"));
        WriteWav(Path.Combine(folder, "announcements", "gdpr-notice-en.wav"));
        return folder;
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
