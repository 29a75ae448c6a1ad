namespace CallSwitch.Media.Codecs;

/// <summary>
/// 16 kHz → 8 kHz (2×) decimator built on <see cref="HalfBandFilter"/>: the half-band
/// low-pass removes everything above 4 kHz (which would otherwise alias into the telephone
/// band) and every second output is kept; only kept outputs are computed. Delay:
/// 2·<see cref="HalfBandFilter.HalfLength"/> − 1 input samples (~2 ms).
/// </summary>
/// <remarks>
/// Input counts must be even (G.722 frames always are). One instance per stream; not
/// thread-safe; allocation-free after construction.
/// </remarks>
public sealed class HalfBandDownsampler : IPcmResampler
{
    private const int ChunkSamples = 960;
    private const int History = 4 * HalfBandFilter.HalfLength - 2; // full window minus one, even.

    private readonly float[] _buffer = new float[History + ChunkSamples];

    /// <inheritdoc />
    public int InputRate => 16000;

    /// <inheritdoc />
    public int OutputRate => 8000;

    /// <inheritdoc />
    public int GetOutputCount(int inputCount) => inputCount / 2;

    /// <inheritdoc />
    public int Process(ReadOnlySpan<short> input, Span<short> output)
    {
        if ((input.Length & 1) != 0)
        {
            throw new ArgumentException("The decimator takes an even number of samples.", nameof(input));
        }

        if (output.Length < input.Length / 2)
        {
            throw new ArgumentException("The output must hold half the input.", nameof(output));
        }

        var taps = HalfBandFilter.OddTaps;
        const int centre = 2 * HalfBandFilter.HalfLength - 1;
        var written = 0;
        while (!input.IsEmpty)
        {
            var count = Math.Min(input.Length, ChunkSamples);
            for (var i = 0; i < count; i++)
            {
                _buffer[History + i] = input[i];
            }

            for (var j = 0; j < count; j += 2)
            {
                // Window _buffer[j .. j+4L−2]; the odd taps fall on its even offsets.
                var window = _buffer.AsSpan(j, History + 1);
                var sum = 0.5f * window[centre];
                for (var t = 0; t < taps.Length; t++)
                {
                    sum += taps[t] * window[2 * t];
                }

                output[written++] = HalfBandFilter.ToPcm16(sum);
            }

            _buffer.AsSpan(count, History).CopyTo(_buffer);
            input = input[count..];
        }

        return written;
    }

    /// <inheritdoc />
    public void Reset() => Array.Clear(_buffer);
}
