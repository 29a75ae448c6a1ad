namespace CallSwitch.Benchmarks.Recording;

/// <summary>Both parties talking at once, as the encoder benchmarks feed it: 440 Hz on the left (agent), 1 kHz on the right (prospect).</summary>
internal static class TwoTalkers
{
    /// <summary><paramref name="count"/> consecutive frames of <paramref name="frameSize"/> interleaved stereo samples at <paramref name="sampleRate"/>.</summary>
    public static short[][] Frames(int count, int frameSize, int sampleRate)
    {
        var frames = new short[count][];
        long n = 0;
        for (int f = 0; f < count; f++)
        {
            frames[f] = new short[frameSize * 2];
            for (int i = 0; i < frameSize; i++, n++)
            {
                frames[f][2 * i] = (short)(6000 * Math.Sin(2 * Math.PI * 440 * n / sampleRate));
                frames[f][(2 * i) + 1] = (short)(6000 * Math.Sin(2 * Math.PI * 1000 * n / sampleRate));
            }
        }

        return frames;
    }
}
