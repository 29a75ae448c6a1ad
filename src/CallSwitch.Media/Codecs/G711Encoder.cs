namespace CallSwitch.Media.Codecs;

/// <summary>
/// G.711 µ-law or A-law encoder (ITU-T G.711 §2): one 8 kHz sample in, one byte out, no state.
/// </summary>
public sealed class G711Encoder : IAudioEncoder
{
    private readonly byte[] _table;

    /// <summary>Creates an encoder for <see cref="AudioCodecId.Pcmu"/> or <see cref="AudioCodecId.Pcma"/>.</summary>
    public G711Encoder(AudioCodecId codec)
    {
        (Codec, _table) = codec switch
        {
            AudioCodecId.Pcmu => (AudioCodecInfo.Pcmu, G711Tables.LinearToMuLaw),
            AudioCodecId.Pcma => (AudioCodecInfo.Pcma, G711Tables.LinearToALaw),
            _ => throw new ArgumentOutOfRangeException(nameof(codec), codec, "Not a G.711 codec."),
        };
    }

    /// <inheritdoc />
    public AudioCodecInfo Codec { get; }

    /// <inheritdoc />
    public int GetPayloadLength(int sampleCount) => sampleCount;

    /// <inheritdoc />
    public int Encode(ReadOnlySpan<short> pcm, Span<byte> payload)
    {
        if (payload.Length < pcm.Length)
        {
            throw new ArgumentException("The payload buffer is smaller than the PCM input.", nameof(payload));
        }

        G711Tables.Encode(_table, pcm, payload);
        return pcm.Length;
    }

    /// <inheritdoc />
    public void Reset()
    {
        // G.711 is memoryless.
    }
}
