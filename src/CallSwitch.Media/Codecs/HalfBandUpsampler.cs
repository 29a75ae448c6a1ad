namespace CallSwitch.Media.Codecs;

/// <summary>
/// 8 kHz → 16 kHz (2×) interpolator built on <see cref="HalfBandFilter"/>: zero-stuffing
/// followed by the half-band low-pass, computed in polyphase form. Even outputs are the input
/// samples themselves (the centre tap); odd outputs are the filtered in-between values. Delay:
/// <see cref="HalfBandFilter.HalfLength"/> input samples (2 ms).
/// </summary>
/// <remarks>One instance per stream; not thread-safe; allocation-free after construction.</remarks>
public sealed class HalfBandUpsampler : IPcmResampler
{
    private const int ChunkSamples = 480;
    private const int History = 2 * HalfBandFilter.HalfLength - 1;

    // History followed by the current chunk, converted to float once.
    private readonly float[] _buffer = new float[History + ChunkSamples];

    /// <inheritdoc />
    public int InputRate => 8000;

    /// <inheritdoc />
    public int OutputRate => 16000;

    /// <inheritdoc />
    public int GetOutputCount(int inputCount) => inputCount * 2;

    /// <inheritdoc />
    public int Process(ReadOnlySpan<short> input, Span<short> output)
    {
        if (output.Length < input.Length * 2)
        {
            throw new ArgumentException("The output must hold twice the input.", nameof(output));
        }

        var written = 0;
        while (!input.IsEmpty)
        {
            var count = Math.Min(input.Length, ChunkSamples);
            for (var i = 0; i < count; i++)
            {
                _buffer[History + i] = input[i];
            }

            for (var j = 0; j < count; j++)
            {
                // Window _buffer[j .. j+2L−1]; its centre sample sits at j+L−1.
                var window = _buffer.AsSpan(j, 2 * HalfBandFilter.HalfLength);
                var odd = HalfBandFilter.DotWithTaps(window);

                // Zero-stuffing halves the energy; the interpolation gain of 2 restores it.
                output[written++] = HalfBandFilter.ToPcm16(window[HalfBandFilter.HalfLength - 1]);
                output[written++] = HalfBandFilter.ToPcm16(2 * odd);
            }

            _buffer.AsSpan(count, History).CopyTo(_buffer);
            input = input[count..];
        }

        return written;
    }

    /// <inheritdoc />
    public void Reset() => Array.Clear(_buffer);
}
