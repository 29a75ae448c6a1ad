namespace CallSwitch.Media.Analysis;

/// <summary>
/// Measures audio: mean power, and the power at one frequency (Goertzel), over 16-bit samples,
/// optionally one channel of interleaved ones. For checks on whole captures (the self-test, the
/// tests), not for the media path: it allocates nothing but is not tuned for it.
/// </summary>
public static class ToneMeter
{
    /// <summary>The mean square of a full-scale 16-bit square wave: 0 dBFS for <see cref="Dbfs"/>.</summary>
    public const double FullScalePower = 32768.0 * 32768.0;

    /// <summary>Mean square of every <paramref name="stride"/>-th sample from <paramref name="offset"/> (a channel of interleaved audio).</summary>
    public static double Power(ReadOnlySpan<short> samples, int stride = 1, int offset = 0)
    {
        double sum = 0;
        int n = 0;
        for (int i = offset; i < samples.Length; i += stride, n++)
        {
            double x = samples[i];
            sum += x * x;
        }

        return sum / Math.Max(1, n);
    }

    /// <summary>
    /// Power at <paramref name="frequency"/> Hz (Goertzel, normalised so that a sine of amplitude A
    /// gives A²/4) of every <paramref name="stride"/>-th sample from <paramref name="offset"/>, at <paramref name="sampleRate"/>.
    /// </summary>
    public static double TonePower(ReadOnlySpan<short> samples, int sampleRate, double frequency, int stride = 1, int offset = 0)
    {
        double coefficient = 2 * Math.Cos(2 * Math.PI * frequency / sampleRate);
        double s1 = 0, s2 = 0;
        int n = 0;
        for (int i = offset; i < samples.Length; i += stride, n++)
        {
            double s0 = samples[i] + (coefficient * s1) - s2;
            s2 = s1;
            s1 = s0;
        }

        double count = Math.Max(1, n);
        return ((s1 * s1) + (s2 * s2) - (coefficient * s1 * s2)) / (count * count);
    }

    /// <summary>10·log10 of <paramref name="power"/> over <paramref name="reference"/> (both floored at 1e-9).</summary>
    public static double Decibels(double power, double reference) => 10 * Math.Log10(Math.Max(power, 1e-9) / Math.Max(reference, 1e-9));

    /// <summary>A mean square (<see cref="Power"/>) in dB relative to full scale; about −190 for digital silence.</summary>
    public static double Dbfs(double power) => Decibels(power, FullScalePower);
}
