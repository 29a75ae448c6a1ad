using System.Numerics;
using System.Runtime.InteropServices;

namespace CallSwitch.Media.Codecs;

/// <summary>
/// Coefficients of the linear-phase half-band low-pass filter shared by the 2× resamplers.
/// </summary>
/// <remarks>
/// A half-band filter has its cut-off at a quarter of the (higher) sample rate, here 4 kHz at
/// 16 kHz, and every even-indexed tap except the centre is zero, so 2× interpolation and
/// decimation cost only the odd taps. The taps are a Kaiser-windowed ideal low-pass
/// (sin(πm/2)/(πm)); 2·<see cref="HalfLength"/> odd taps (63-tap filter) with β = 6 give about
/// 60 dB stop-band attenuation above ~4.5 kHz and a flat pass band over the 300–3400 Hz
/// telephone band, which is what a G.711 leg can carry anyway.
/// </remarks>
internal static class HalfBandFilter
{
    /// <summary>Number of non-zero odd taps on each side of the centre.</summary>
    public const int HalfLength = 16;

    private const double KaiserBeta = 6.0;

    /// <summary>
    /// The odd taps in window order: element t multiplies the sample (2·HalfLength − 1 − 2t)
    /// positions before the centre (negative: after). Symmetric. Their sum is 0.5, so together
    /// with the 0.5 centre tap the DC gain is exactly 1.
    /// </summary>
    public static readonly float[] OddTaps = Build();

    private static float[] Build()
    {
        var taps = new double[2 * HalfLength];
        var halfWindow = 2.0 * HalfLength;
        var sum = 0.0;
        for (var t = 0; t < taps.Length; t++)
        {
            var m = 2 * HalfLength - 1 - 2 * t; // odd, from 2L−1 down to −(2L−1)
            var ideal = Math.Sin(Math.PI * m / 2) / (Math.PI * m);
            var ratio = m / halfWindow;
            var window = BesselI0(KaiserBeta * Math.Sqrt(1 - ratio * ratio)) / BesselI0(KaiserBeta);
            taps[t] = ideal * window;
            sum += taps[t];
        }

        var result = new float[taps.Length];
        for (var t = 0; t < taps.Length; t++)
        {
            result[t] = (float)(taps[t] * 0.5 / sum);
        }

        return result;
    }

    /// <summary>Zeroth-order modified Bessel function of the first kind, by its power series.</summary>
    private static double BesselI0(double x)
    {
        var sum = 1.0;
        var term = 1.0;
        var quarterSquare = x * x / 4;
        for (var k = 1; k < 50; k++)
        {
            term *= quarterSquare / (k * k);
            sum += term;
            if (term < 1e-12 * sum)
            {
                break;
            }
        }

        return sum;
    }

    /// <summary>
    /// Dot product of the odd taps with <paramref name="samples"/> (same length), SIMD-wide: the
    /// filter is the resamplers' whole cost, and 32 taps are exactly 4 (AVX2) or 2 (AVX-512)
    /// vectors.
    /// </summary>
    public static float DotWithTaps(ReadOnlySpan<float> samples)
    {
        ReadOnlySpan<float> taps = OddTaps;
        var sum = Vector<float>.Zero;
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var tapVectors = MemoryMarshal.Cast<float, Vector<float>>(taps);
            var sampleVectors = MemoryMarshal.Cast<float, Vector<float>>(samples[..taps.Length]);
            for (var v = 0; v < tapVectors.Length; v++)
            {
                sum += tapVectors[v] * sampleVectors[v];
            }

            i = tapVectors.Length * Vector<float>.Count;
        }

        var total = Vector.Sum(sum);
        for (; i < taps.Length; i++)
        {
            total += taps[i] * samples[i];
        }

        return total;
    }

    /// <summary>Rounds and saturates a filter output to PCM16.</summary>
    public static short ToPcm16(float value)
    {
        var rounded = (int)MathF.Round(value);
        return (short)Math.Clamp(rounded, short.MinValue, short.MaxValue);
    }
}
