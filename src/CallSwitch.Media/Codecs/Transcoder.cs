namespace CallSwitch.Media.Codecs;

/// <summary>
/// Converts RTP payloads of one codec into another for one direction of one call:
/// decode → resample 8 kHz↔16 kHz when the PCM rates differ → encode.
/// </summary>
/// <remarks>
/// <para>
/// Lifetime and threading: create one instance per call direction at call setup (that is when
/// all its buffers are allocated) and call <see cref="Transcode"/> from the single thread that
/// handles that direction's packets. Not thread-safe. Decoder, resampler and encoder state
/// carries across calls, so frames must be fed in order; after an SSRC change or a long gap call
/// <see cref="Reset"/>.
/// </para>
/// <para>
/// Buffers: <see cref="Transcode"/> reads the caller's input span and writes the caller's
/// output span; it keeps no reference to either and allocates nothing. Payloads of any length
/// are accepted (they are processed in 60 ms chunks through internal buffers).
/// </para>
/// <para>
/// RTP timestamps need no rescaling: PCMU, PCMA and G.722 all use an 8000 Hz RTP clock
/// (RFC 3551 §4.5.2, §4.5.14), so a 20 ms frame advances the timestamp by 160 in and out.
/// </para>
/// <para>
/// Same-codec pairs are copied; PCMU↔PCMA goes through a 256-entry byte table, which gives
/// exactly the bytes decode-then-encode would.
/// </para>
/// </remarks>
public sealed class Transcoder
{
    private const int ChunkBytes = 480; // 60 ms at 8 bytes per ms, for all three codecs.

    private readonly IAudioDecoder _decoder;
    private readonly IAudioEncoder _encoder;
    private readonly IPcmResampler? _resampler;
    private readonly byte[]? _crossTable;
    private readonly bool _copy;
    private readonly short[] _decoded;
    private readonly short[] _resampled;

    /// <summary>Creates a transcoder from <paramref name="source"/> to <paramref name="target"/>.</summary>
    public Transcoder(AudioCodecInfo source, AudioCodecInfo target)
        : this(CreateDecoder(source), CreateEncoder(target))
    {
    }

    /// <summary>
    /// Creates a transcoder around a decoder and an encoder it then owns (they must not be used
    /// elsewhere). Their PCM rates must be equal or differ by a factor of two.
    /// </summary>
    public Transcoder(IAudioDecoder decoder, IAudioEncoder encoder)
    {
        ArgumentNullException.ThrowIfNull(decoder);
        ArgumentNullException.ThrowIfNull(encoder);
        _decoder = decoder;
        _encoder = encoder;
        var inRate = decoder.Codec.SampleRate;
        var outRate = encoder.Codec.SampleRate;
        _resampler = (inRate, outRate) switch
        {
            _ when inRate == outRate => null,
            _ when outRate == inRate * 2 && inRate == 8000 => new HalfBandUpsampler(),
            _ when inRate == outRate * 2 && outRate == 8000 => new HalfBandDownsampler(),
            _ => throw new NotSupportedException(
                $"Cannot resample {decoder.Codec.EncodingName} at {inRate} Hz to {encoder.Codec.EncodingName} at {outRate} Hz."),
        };

        var sourceId = decoder.Codec.Id;
        var targetId = encoder.Codec.Id;
        _copy = sourceId == targetId;
        _crossTable = (sourceId, targetId) switch
        {
            (AudioCodecId.Pcmu, AudioCodecId.Pcma) => G711Tables.MuLawToALaw,
            (AudioCodecId.Pcma, AudioCodecId.Pcmu) => G711Tables.ALawToMuLaw,
            _ => null,
        };

        var decodedMax = decoder.GetSampleCount(ChunkBytes);
        _decoded = new short[decodedMax];
        _resampled = new short[_resampler?.GetOutputCount(decodedMax) ?? 0];
    }

    /// <summary>The codec of the payloads given to <see cref="Transcode"/>.</summary>
    public AudioCodecInfo Source => _decoder.Codec;

    /// <summary>The codec of the payloads <see cref="Transcode"/> produces.</summary>
    public AudioCodecInfo Target => _encoder.Codec;

    /// <summary>Output payload length for an input payload of <paramref name="inputLength"/> bytes.</summary>
    public int GetOutputLength(int inputLength)
    {
        if (_copy || _crossTable is not null)
        {
            return inputLength;
        }

        var samples = _decoder.GetSampleCount(inputLength);
        if (_resampler is not null)
        {
            samples = _resampler.GetOutputCount(samples);
        }

        return _encoder.GetPayloadLength(samples);
    }

    /// <summary>
    /// Transcodes one payload. <paramref name="output"/> must hold at least
    /// <see cref="GetOutputLength"/> bytes (160 bytes for a 20 ms frame of any supported codec).
    /// </summary>
    /// <returns>The number of bytes written to <paramref name="output"/>.</returns>
    /// <exception cref="ArgumentException">The output span is too small.</exception>
    public int Transcode(ReadOnlySpan<byte> input, Span<byte> output)
    {
        var required = GetOutputLength(input.Length);
        if (output.Length < required)
        {
            throw new ArgumentException(
                $"The output buffer holds {output.Length} bytes; {required} are needed.", nameof(output));
        }

        if (_copy)
        {
            input.CopyTo(output);
            return input.Length;
        }

        if (_crossTable is not null)
        {
            G711Tables.Convert(_crossTable, input, output);
            return input.Length;
        }

        var written = 0;
        while (!input.IsEmpty)
        {
            var chunk = Math.Min(input.Length, ChunkBytes);
            var decoded = _decoder.Decode(input[..chunk], _decoded);
            ReadOnlySpan<short> pcm = _decoded.AsSpan(0, decoded);
            if (_resampler is not null)
            {
                var resampled = _resampler.Process(pcm, _resampled);
                pcm = _resampled.AsSpan(0, resampled);
            }

            written += _encoder.Encode(pcm, output[written..]);
            input = input[chunk..];
        }

        return written;
    }

    /// <summary>Clears all inter-frame state (codec predictors, filter history).</summary>
    public void Reset()
    {
        _decoder.Reset();
        _encoder.Reset();
        _resampler?.Reset();
    }

    private static IAudioDecoder CreateDecoder(AudioCodecInfo codec) =>
        CodecRegistry.Default.CreateDecoder(codec ?? throw new ArgumentNullException(nameof(codec)));

    private static IAudioEncoder CreateEncoder(AudioCodecInfo codec) =>
        CodecRegistry.Default.CreateEncoder(codec ?? throw new ArgumentNullException(nameof(codec)));
}
