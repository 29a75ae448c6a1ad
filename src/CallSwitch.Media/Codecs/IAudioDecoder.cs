namespace CallSwitch.Media.Codecs;

/// <summary>
/// Decodes RTP payloads of one codec into 16-bit linear PCM. One instance per call direction:
/// decoders may keep state between frames (G.722's ADPCM predictors), so an instance must see
/// the frames of exactly one stream, in order.
/// </summary>
/// <remarks>
/// Not thread-safe: a single media thread calls it. <see cref="Decode"/> never allocates;
/// both spans belong to the caller and are not retained after the call returns.
/// </remarks>
public interface IAudioDecoder
{
    /// <summary>The codec this instance decodes.</summary>
    AudioCodecInfo Codec { get; }

    /// <summary>Number of PCM samples <paramref name="payloadLength"/> bytes decode to.</summary>
    int GetSampleCount(int payloadLength);

    /// <summary>
    /// Decodes <paramref name="payload"/> into <paramref name="pcm"/>, which must hold at least
    /// <see cref="GetSampleCount"/> samples, at <see cref="AudioCodecInfo.SampleRate"/>.
    /// </summary>
    /// <returns>The number of samples written.</returns>
    int Decode(ReadOnlySpan<byte> payload, Span<short> pcm);

    /// <summary>Forgets inter-frame state, e.g. after an SSRC change.</summary>
    void Reset();
}
