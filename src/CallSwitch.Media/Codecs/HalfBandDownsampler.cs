namespace CallSwitch.Media.Codecs;

/// <summary>
/// 16 kHz → 8 kHz (2×) decimator built on <see cref="HalfBandFilter"/>: the half-band
/// low-pass removes everything above 4 kHz (which would otherwise alias into the telephone
/// band) and every second output is kept; only kept outputs are computed. Delay:
/// 2·<see cref="HalfBandFilter.HalfLength"/> − 1 input samples (~2 ms).
/// </summary>
/// <remarks>
/// <para>
/// Polyphase form: the odd taps only ever meet even-phase input samples and the centre tap an
/// odd-phase one, so the input is split into two phase buffers and each output is one
/// contiguous dot product plus one centre term.
/// </para>
/// <para>
/// Input counts must be even (G.722 frames always are). One instance per stream; not
/// thread-safe; allocation-free after construction.
/// </para>
/// </remarks>
public sealed class HalfBandDownsampler : IPcmResampler
{
    private const int ChunkPairs = 480; // 60 ms of 16 kHz input per pass
    private const int HistoryPairs = (2 * HalfBandFilter.HalfLength) - 1;

    // Phase buffers: history followed by the current chunk.
    private readonly float[] _even = new float[HistoryPairs + ChunkPairs];
    private readonly float[] _odd = new float[HistoryPairs + ChunkPairs];

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

        const int taps = 2 * HalfBandFilter.HalfLength;
        var written = 0;
        while (!input.IsEmpty)
        {
            var pairs = Math.Min(input.Length / 2, ChunkPairs);
            for (var p = 0; p < pairs; p++)
            {
                _even[HistoryPairs + p] = input[2 * p];
                _odd[HistoryPairs + p] = input[(2 * p) + 1];
            }

            for (var p = 0; p < pairs; p++)
            {
                // Interleaved window starting at sample 2p: its odd taps fall on even-phase
                // samples p .. p+2L−1, its centre (offset 2L−1) on odd-phase sample p+L−1.
                var sum = (0.5f * _odd[p + HalfBandFilter.HalfLength - 1])
                    + HalfBandFilter.DotWithTaps(_even.AsSpan(p, taps));
                output[written++] = HalfBandFilter.ToPcm16(sum);
            }

            _even.AsSpan(pairs, HistoryPairs).CopyTo(_even);
            _odd.AsSpan(pairs, HistoryPairs).CopyTo(_odd);
            input = input[(2 * pairs)..];
        }

        return written;
    }

    /// <inheritdoc />
    public void Reset()
    {
        Array.Clear(_even);
        Array.Clear(_odd);
    }
}
