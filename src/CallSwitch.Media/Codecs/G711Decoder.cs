namespace CallSwitch.Media.Codecs;

/// <summary>
/// G.711 µ-law or A-law decoder (ITU-T G.711 §2): one byte in, one 8 kHz sample out, no state.
/// Stateless, so one instance could serve several streams, but the contract of
/// <see cref="IAudioDecoder"/> (one per direction) is kept for uniformity.
/// </summary>
public sealed class G711Decoder : IAudioDecoder
{
    private readonly short[] _table;

    /// <summary>Creates a decoder for <see cref="AudioCodecId.Pcmu"/> or <see cref="AudioCodecId.Pcma"/>.</summary>
    public G711Decoder(AudioCodecId codec)
    {
        (Codec, _table) = codec switch
        {
            AudioCodecId.Pcmu => (AudioCodecInfo.Pcmu, G711Tables.MuLawToLinear),
            AudioCodecId.Pcma => (AudioCodecInfo.Pcma, G711Tables.ALawToLinear),
            _ => throw new ArgumentOutOfRangeException(nameof(codec), codec, "Not a G.711 codec."),
        };
    }

    /// <inheritdoc />
    public AudioCodecInfo Codec { get; }

    /// <inheritdoc />
    public int GetSampleCount(int payloadLength) => payloadLength;

    /// <inheritdoc />
    public int Decode(ReadOnlySpan<byte> payload, Span<short> pcm)
    {
        if (pcm.Length < payload.Length)
        {
            throw new ArgumentException("The PCM buffer is smaller than the payload.", nameof(pcm));
        }

        G711Tables.Decode(_table, payload, pcm);
        return payload.Length;
    }

    /// <inheritdoc />
    public void Reset()
    {
        // G.711 is memoryless.
    }
}
