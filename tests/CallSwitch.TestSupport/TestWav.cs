namespace CallSwitch.TestSupport;

/// <summary>Small valid WAV files (16-bit PCM, mono) for tests: announcements, a softphone's microphone.</summary>
public static class TestWav
{
    /// <summary>Writes a WAV file (16-bit PCM, mono, 8 kHz, 100 ms of silence), creating its folder; returns its path.</summary>
    public static string Write(string path) => Write(path, new short[800], 8000);

    /// <summary>
    /// Writes a sine of <paramref name="hz"/> lasting <paramref name="length"/> (16-bit PCM, mono,
    /// <paramref name="sampleRate"/>, peak <paramref name="amplitude"/>), creating its folder; returns its path.
    /// </summary>
    public static string WriteTone(string path, double hz, TimeSpan length, int sampleRate = 8000, short amplitude = 8000)
    {
        var samples = new short[(int)(sampleRate * length.TotalSeconds)];
        for (int i = 0; i < samples.Length; i++)
        {
            samples[i] = (short)Math.Round(amplitude * Math.Sin(2 * Math.PI * hz * i / sampleRate));
        }

        return Write(path, samples, sampleRate);
    }

    /// <summary>Reads the samples of a WAV file this class (or any 16-bit PCM mono writer) wrote: its rate and samples.</summary>
    public static (int SampleRate, short[] Samples) Read(string path)
    {
        using var reader = new BinaryReader(File.OpenRead(path));
        if (!reader.ReadBytes(4).AsSpan().SequenceEqual("RIFF"u8))
        {
            throw new InvalidDataException($"{path}: not a RIFF file");
        }

        reader.ReadInt32();
        if (!reader.ReadBytes(4).AsSpan().SequenceEqual("WAVE"u8))
        {
            throw new InvalidDataException($"{path}: not a WAVE file");
        }

        int rate = 0;
        short channels = 0, bits = 0;
        while (reader.BaseStream.Position + 8 <= reader.BaseStream.Length)
        {
            string id = System.Text.Encoding.ASCII.GetString(reader.ReadBytes(4));
            int size = reader.ReadInt32();
            if (id == "fmt ")
            {
                short format = reader.ReadInt16();
                channels = reader.ReadInt16();
                rate = reader.ReadInt32();
                reader.ReadInt32();
                reader.ReadInt16();
                bits = reader.ReadInt16();
                reader.BaseStream.Seek(size - 16, SeekOrigin.Current);
                if (format != 1 || channels != 1 || bits != 16)
                {
                    throw new InvalidDataException($"{path}: format {format}, {channels} channels, {bits} bits; expected 16-bit PCM mono");
                }
            }
            else if (id == "data")
            {
                if (rate == 0)
                {
                    throw new InvalidDataException($"{path}: data before fmt");
                }

                // A writer killed before it finished may leave the size at 0 or too large: read what is there.
                long available = reader.BaseStream.Length - reader.BaseStream.Position;
                long bytes = size <= 0 || size > available ? available : size;
                var samples = new short[bytes / 2];
                for (int i = 0; i < samples.Length; i++)
                {
                    samples[i] = reader.ReadInt16();
                }

                return (rate, samples);
            }
            else
            {
                reader.BaseStream.Seek(size + (size % 2), SeekOrigin.Current);
            }
        }

        throw new InvalidDataException($"{path}: no data chunk");
    }

    private static string Write(string path, short[] samples, int sampleRate)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using var writer = new BinaryWriter(File.Create(path));
        writer.Write("RIFF"u8);
        writer.Write(36 + (samples.Length * 2));
        writer.Write("WAVEfmt "u8);
        writer.Write(16);
        writer.Write((short)1);
        writer.Write((short)1);
        writer.Write(sampleRate);
        writer.Write(sampleRate * 2);
        writer.Write((short)2);
        writer.Write((short)16);
        writer.Write("data"u8);
        writer.Write(samples.Length * 2);
        foreach (short sample in samples)
        {
            writer.Write(sample);
        }

        return path;
    }
}
