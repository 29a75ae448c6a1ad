namespace CallSwitch.LoadHarness.Setup;

/// <summary>Writes the short notice the harness's campaign plays: a tone as 8 kHz 16-bit mono PCM WAV.</summary>
internal static class WaveFile
{
    public static void WriteTone(string path, TimeSpan length, double hz)
    {
        const int rate = 8000;
        int samples = (int)(rate * length.TotalSeconds);
        using var writer = new BinaryWriter(File.Create(path));
        writer.Write("RIFF"u8);
        writer.Write(36 + (samples * 2));
        writer.Write("WAVE"u8);
        writer.Write("fmt "u8);
        writer.Write(16);              // fmt chunk size
        writer.Write((short)1);        // PCM
        writer.Write((short)1);        // mono
        writer.Write(rate);
        writer.Write(rate * 2);        // bytes per second
        writer.Write((short)2);        // block align
        writer.Write((short)16);       // bits per sample
        writer.Write("data"u8);
        writer.Write(samples * 2);
        for (int i = 0; i < samples; i++)
        {
            writer.Write((short)(8000 * Math.Sin(2 * Math.PI * hz * i / rate)));
        }
    }
}
