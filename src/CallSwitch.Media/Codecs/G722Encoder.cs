using NAudio.Codecs;

namespace CallSwitch.Media.Codecs;

/// <summary>
/// G.722 64 kbit/s encoder (ITU-T G.722 §3): two 16 kHz samples become one payload byte.
/// Stateful (transmit QMF and ADPCM predictors), so one instance per stream.
/// </summary>
/// <remarks>
/// Sample counts must be even (every 20 ms frame is 320 samples): the transmit QMF consumes
/// samples in pairs (G.722 §3.1) and NAudio's port would read past the end of an odd count.
/// </remarks>
public sealed class G722Encoder : IAudioEncoder
{
    private const int ChunkSamples = 960; // 60 ms at 16 kHz.
    private const int Bitrate = 64000;

    private readonly G722Codec _codec = new();
    private readonly short[] _input = new short[ChunkSamples];
    private readonly byte[] _output = new byte[ChunkSamples / 2];
    private G722CodecState _state = new(Bitrate, G722Flags.None);

    /// <inheritdoc />
    public AudioCodecInfo Codec => AudioCodecInfo.G722;

    /// <inheritdoc />
    public int GetPayloadLength(int sampleCount) => sampleCount / 2;

    /// <inheritdoc />
    public int Encode(ReadOnlySpan<short> pcm, Span<byte> payload)
    {
        if ((pcm.Length & 1) != 0)
        {
            throw new ArgumentException("G.722 encodes samples in pairs: the count must be even.", nameof(pcm));
        }

        if (payload.Length < GetPayloadLength(pcm.Length))
        {
            throw new ArgumentException("The payload buffer must hold one byte per two samples.", nameof(payload));
        }

        var written = 0;
        while (!pcm.IsEmpty)
        {
            var chunk = Math.Min(pcm.Length, ChunkSamples);
            pcm[..chunk].CopyTo(_input);
            var bytes = _codec.Encode(_state, _output, _input, chunk);
            _output.AsSpan(0, bytes).CopyTo(payload[written..]);
            written += bytes;
            pcm = pcm[chunk..];
        }

        return written;
    }

    /// <inheritdoc />
    /// <remarks>Allocates a fresh codec state: call at stream changes, not per frame.</remarks>
    public void Reset() => _state = new G722CodecState(Bitrate, G722Flags.None);
}
