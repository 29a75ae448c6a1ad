namespace CallSwitch.Media.Codecs;

/// <summary>
/// Encodes 16-bit linear PCM into RTP payloads of one codec. One instance per call direction:
/// encoders may keep state between frames (G.722), so an instance must encode exactly one
/// stream, in order.
/// </summary>
/// <remarks>
/// Not thread-safe: a single media thread calls it. <see cref="Encode"/> never allocates;
/// both spans belong to the caller and are not retained after the call returns.
/// </remarks>
public interface IAudioEncoder
{
    /// <summary>The codec this instance encodes.</summary>
    AudioCodecInfo Codec { get; }

    /// <summary>Number of payload bytes <paramref name="sampleCount"/> samples encode to.</summary>
    int GetPayloadLength(int sampleCount);

    /// <summary>
    /// Encodes <paramref name="pcm"/> (at <see cref="AudioCodecInfo.SampleRate"/>) into
    /// <paramref name="payload"/>, which must hold at least <see cref="GetPayloadLength"/> bytes.
    /// </summary>
    /// <returns>The number of payload bytes written.</returns>
    int Encode(ReadOnlySpan<short> pcm, Span<byte> payload);

    /// <summary>Forgets inter-frame state, e.g. before reusing the encoder for a new stream.</summary>
    void Reset();
}
