namespace CallSwitch.TestSupport;

/// <summary>Small valid WAV files for configuration tests (announcement paths must exist and load).</summary>
public static class TestWav
{
    /// <summary>Writes a WAV file (16-bit PCM, mono, 8 kHz, 100 ms of silence), creating its folder; returns its path.</summary>
    public static string Write(string path)
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
}
