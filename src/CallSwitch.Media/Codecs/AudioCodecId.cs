namespace CallSwitch.Media.Codecs;

/// <summary>The audio codecs the media layer can decode, encode and transcode between.</summary>
public enum AudioCodecId
{
    /// <summary>ITU-T G.711 µ-law, RTP payload type 0 (RFC 3551 §4.5.14).</summary>
    Pcmu,

    /// <summary>ITU-T G.711 A-law, RTP payload type 8 (RFC 3551 §4.5.14).</summary>
    Pcma,

    /// <summary>
    /// ITU-T G.722 at 64 kbit/s, RTP payload type 9. Samples at 16 kHz but its RTP clock is
    /// 8000 Hz for historical reasons (RFC 3551 §4.5.2).
    /// </summary>
    G722,
}
