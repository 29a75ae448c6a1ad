using CallSwitch.Recording.Opus;

namespace CallSwitch.Recording.Tests.Support;

/// <summary>Synthetic audio and the measurements the separation tests use.</summary>
internal static class Signals
{
    /// <summary>A sine of <paramref name="frequency"/> Hz at sample index <paramref name="n"/>.</summary>
    public static short Tone(double frequency, long n, int sampleRate, double amplitude = 8000) =>
        (short)Math.Round(amplitude * Math.Sin(2 * Math.PI * frequency * n / sampleRate));

    /// <summary>
    /// Writes <paramref name="frames"/> stereo frames of a conversation: the agent's 440 Hz on the
    /// left while <paramref name="agentTalks"/>(t), the prospect's 1 kHz on the right while
    /// <paramref name="prospectTalks"/>(t), t in seconds from the start; silence otherwise.
    /// </summary>
    public static void WriteConversation(OpusRecordingWriter writer, int sampleRate, int frames, Func<double, bool> agentTalks, Func<double, bool> prospectTalks)
    {
        var frame = new short[writer.Encoder.FrameSize * 2];
        long n = 0;
        for (int f = 0; f < frames; f++)
        {
            for (int i = 0; i < writer.Encoder.FrameSize; i++, n++)
            {
                double t = (double)n / sampleRate;
                frame[2 * i] = agentTalks(t) ? Tone(440, n, sampleRate) : (short)0;
                frame[(2 * i) + 1] = prospectTalks(t) ? Tone(1000, n, sampleRate) : (short)0;
            }

            writer.OnFrame(frame);
        }
    }

    /// <summary>Mean power of one channel of interleaved stereo, over [from, to) seconds.</summary>
    public static double Power(short[] interleaved, int channel, int sampleRate, double from, double to)
    {
        int start = (int)(from * sampleRate);
        int end = (int)(to * sampleRate);
        double sum = 0;
        for (int i = start; i < end; i++)
        {
            double x = interleaved[(2 * i) + channel];
            sum += x * x;
        }

        return sum / Math.Max(1, end - start);
    }

    /// <summary>Power at one frequency (Goertzel) of one channel over [from, to) seconds.</summary>
    public static double Tonepower(short[] interleaved, int channel, int sampleRate, double frequency, double from, double to)
    {
        int start = (int)(from * sampleRate);
        int end = (int)(to * sampleRate);
        double coefficient = 2 * Math.Cos(2 * Math.PI * frequency / sampleRate);
        double s1 = 0, s2 = 0;
        for (int i = start; i < end; i++)
        {
            double s0 = interleaved[(2 * i) + channel] + (coefficient * s1) - s2;
            s2 = s1;
            s1 = s0;
        }

        int n = end - start;
        return ((s1 * s1) + (s2 * s2) - (coefficient * s1 * s2)) / ((double)n * n);
    }

    public static double Decibels(double power, double reference) => 10 * Math.Log10(Math.Max(power, 1e-12) / Math.Max(reference, 1e-12));

    public static short[] ToShorts(byte[] littleEndian)
    {
        var samples = new short[littleEndian.Length / 2];
        Buffer.BlockCopy(littleEndian, 0, samples, 0, samples.Length * 2);
        return samples;
    }
}
