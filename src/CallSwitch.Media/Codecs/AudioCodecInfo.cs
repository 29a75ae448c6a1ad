namespace CallSwitch.Media.Codecs;

/// <summary>
/// Static description of a codec as seen on the wire and by the DSP code. Immutable; shared by
/// every call.
/// </summary>
/// <param name="Id">Which codec.</param>
/// <param name="EncodingName">The SDP rtpmap encoding name (RFC 4566 §6, RFC 3551 §6).</param>
/// <param name="RtpClockRate">The RTP timestamp clock rate, as written in the rtpmap.</param>
/// <param name="SampleRate">The rate of the PCM the codec consumes and produces.</param>
/// <param name="StaticPayloadType">The RFC 3551 static payload type.</param>
/// <param name="BitsPerSample">Encoded bits per PCM sample (8 for G.711, 4 for G.722).</param>
public sealed record AudioCodecInfo(
    AudioCodecId Id,
    string EncodingName,
    int RtpClockRate,
    int SampleRate,
    int StaticPayloadType,
    int BitsPerSample)
{
    /// <summary>The frame duration used throughout CallSwitch (RFC 3551 §4.5 default ptime).</summary>
    public static readonly TimeSpan FrameDuration = TimeSpan.FromMilliseconds(20);

    /// <summary>G.711 µ-law: 8 kHz, 8 bits a sample.</summary>
    public static readonly AudioCodecInfo Pcmu = new(AudioCodecId.Pcmu, "PCMU", 8000, 8000, 0, 8);

    /// <summary>G.711 A-law: 8 kHz, 8 bits a sample.</summary>
    public static readonly AudioCodecInfo Pcma = new(AudioCodecId.Pcma, "PCMA", 8000, 8000, 8, 8);

    /// <summary>G.722 64 kbit/s: 16 kHz PCM, 4 bits a sample, RTP clock 8000 (RFC 3551 §4.5.2).</summary>
    public static readonly AudioCodecInfo G722 = new(AudioCodecId.G722, "G722", 8000, 16000, 9, 4);

    /// <summary>PCM samples in one 20 ms frame (160 for G.711, 320 for G.722).</summary>
    public int SamplesPerFrame => SampleRate / 50;

    /// <summary>Payload bytes in one 20 ms frame (160 for all three codecs).</summary>
    public int BytesPerFrame => SamplesPerFrame * BitsPerSample / 8;

    /// <summary>RTP timestamp increment for one 20 ms frame (160 for all three codecs).</summary>
    public int RtpTimestampPerFrame => RtpClockRate / 50;

    /// <summary>Returns the description of a built-in codec.</summary>
    public static AudioCodecInfo For(AudioCodecId id) => id switch
    {
        AudioCodecId.Pcmu => Pcmu,
        AudioCodecId.Pcma => Pcma,
        AudioCodecId.G722 => G722,
        _ => throw new ArgumentOutOfRangeException(nameof(id), id, "Unknown codec."),
    };
}
