using NAudio.Codecs;

namespace CallSwitch.Media.Codecs;

/// <summary>
/// G.722 64 kbit/s decoder (ITU-T G.722 §4): each payload byte carries one low-band and one
/// high-band sub-band code and decodes to two 16 kHz samples. Stateful (ADPCM predictors and
/// the receive QMF history), so one instance per stream.
/// </summary>
/// <remarks>
/// NAudio's <see cref="G722Codec"/> takes arrays, so the span is staged through fixed-size
/// buffers owned by this instance; long payloads are decoded in chunks, which is exact because
/// the codec state carries over between calls.
/// </remarks>
public sealed class G722Decoder : IAudioDecoder
{
    private const int ChunkBytes = 480; // 60 ms; payloads are usually one 20 ms frame of 160 bytes.
    private const int Bitrate = 64000;

    private readonly G722Codec _codec = new();
    private readonly byte[] _input = new byte[ChunkBytes];
    private readonly short[] _output = new short[ChunkBytes * 2];
    private G722CodecState _state = new(Bitrate, G722Flags.None);

    /// <inheritdoc />
    public AudioCodecInfo Codec => AudioCodecInfo.G722;

    /// <inheritdoc />
    public int GetSampleCount(int payloadLength) => payloadLength * 2;

    /// <inheritdoc />
    public int Decode(ReadOnlySpan<byte> payload, Span<short> pcm)
    {
        if (pcm.Length < payload.Length * 2)
        {
            throw new ArgumentException("The PCM buffer must hold two samples per payload byte.", nameof(pcm));
        }

        var written = 0;
        while (!payload.IsEmpty)
        {
            var chunk = Math.Min(payload.Length, ChunkBytes);
            payload[..chunk].CopyTo(_input);
            var samples = _codec.Decode(_state, _output, _input, chunk);
            _output.AsSpan(0, samples).CopyTo(pcm[written..]);
            written += samples;
            payload = payload[chunk..];
        }

        return written;
    }

    /// <inheritdoc />
    /// <remarks>Allocates a fresh codec state: call at stream changes, not per frame.</remarks>
    public void Reset() => _state = new G722CodecState(Bitrate, G722Flags.None);
}
