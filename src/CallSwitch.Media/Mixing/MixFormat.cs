using CallSwitch.Media.Codecs;

namespace CallSwitch.Media.Mixing;

/// <summary>How one party's audio is carried on its RTP stream, as its SDP negotiated it.</summary>
/// <param name="Codec">The audio codec (G.711 µ-law or A-law, G.722).</param>
/// <param name="PayloadType">The RTP payload type of that codec on this stream.</param>
public readonly record struct MixFormat(AudioCodecInfo Codec, int PayloadType);
