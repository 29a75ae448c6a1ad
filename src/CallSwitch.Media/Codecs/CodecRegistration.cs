namespace CallSwitch.Media.Codecs;

/// <summary>
/// One entry of a <see cref="CodecRegistry"/>: a codec and the factories that create a fresh,
/// independent decoder or encoder for one stream.
/// </summary>
/// <param name="Codec">The codec, with the SDP encoding name and clock rate it is found by.</param>
/// <param name="CreateDecoder">Creates a decoder; called at call setup, never per packet.</param>
/// <param name="CreateEncoder">Creates an encoder; called at call setup, never per packet.</param>
public sealed record CodecRegistration(
    AudioCodecInfo Codec,
    Func<IAudioDecoder> CreateDecoder,
    Func<IAudioEncoder> CreateEncoder);
