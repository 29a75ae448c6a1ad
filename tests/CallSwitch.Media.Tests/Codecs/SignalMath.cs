namespace CallSwitch.Media.Tests.Codecs;

/// <summary>Signal helpers for comparing audio by energy and spectrum rather than by bytes.</summary>
internal static class SignalMath
{
    public static short[] Sine(double frequency, int sampleRate, int count, double amplitude)
    {
        var samples = new short[count];
        for (var i = 0; i < count; i++)
        {
            samples[i] = (short)Math.Round(amplitude * Math.Sin(2 * Math.PI * frequency * i / sampleRate));
        }

        return samples;
    }

    public static double Rms(ReadOnlySpan<short> samples)
    {
        var sum = 0.0;
        foreach (var s in samples)
        {
            sum += (double)s * s;
        }

        return samples.IsEmpty ? 0 : Math.Sqrt(sum / samples.Length);
    }

    /// <summary>Amplitude of one frequency component (Goertzel), normalised to a sine's peak.</summary>
    public static double ToneAmplitude(ReadOnlySpan<short> samples, double frequency, int sampleRate)
    {
        var coefficient = 2 * Math.Cos(2 * Math.PI * frequency / sampleRate);
        double previous = 0, beforePrevious = 0;
        foreach (var s in samples)
        {
            var current = s + coefficient * previous - beforePrevious;
            beforePrevious = previous;
            previous = current;
        }

        var power = previous * previous + beforePrevious * beforePrevious - coefficient * previous * beforePrevious;
        return 2 * Math.Sqrt(Math.Max(power, 0)) / samples.Length;
    }

    /// <summary>
    /// Normalised correlation of <paramref name="signal"/> with a sine of <paramref name="frequency"/>
    /// at whatever phase fits best, so a fractional-sample filter delay does not count as error.
    /// 1 means a pure tone at that frequency.
    /// </summary>
    public static double ToneCorrelation(ReadOnlySpan<short> signal, double frequency, int sampleRate)
    {
        double withSine = 0, withCosine = 0, sineEnergy = 0, cosineEnergy = 0, energy = 0;
        for (var i = 0; i < signal.Length; i++)
        {
            var phase = 2 * Math.PI * frequency * i / sampleRate;
            var sin = Math.Sin(phase);
            var cos = Math.Cos(phase);
            withSine += signal[i] * sin;
            withCosine += signal[i] * cos;
            sineEnergy += sin * sin;
            cosineEnergy += cos * cos;
            energy += (double)signal[i] * signal[i];
        }

        return Math.Sqrt(withSine * withSine / sineEnergy + withCosine * withCosine / cosineEnergy) / Math.Sqrt(energy);
    }
}
