namespace CallSwitch.Sip.Sdp;

/// <summary>
/// An audio codec this switch can serve, as used in offers and to match remote rtpmaps
/// (encoding name case-insensitive, clock rate and channels equal, RFC 4855 §3).
/// </summary>
/// <param name="EncodingName">RTP encoding name, e.g. <c>PCMU</c> or <c>opus</c>.</param>
/// <param name="ClockRate">
/// RTP clock rate. For <c>telephone-event</c>, 0 means "at whatever rate the chosen codec uses":
/// RFC 4733 §2.1 ties the event clock to the audio stream it accompanies.
/// </param>
/// <param name="Channels">Channel count in the rtpmap (2 for opus, always, RFC 7587 §7).</param>
public sealed record AudioCodec(string EncodingName, int ClockRate, int Channels = 1)
{
    /// <summary>G.711 µ-law, static payload type 0.</summary>
    public static AudioCodec Pcmu { get; } = new("PCMU", 8000) { StaticPayloadType = 0 };

    /// <summary>G.711 A-law, static payload type 8.</summary>
    public static AudioCodec Pcma { get; } = new("PCMA", 8000) { StaticPayloadType = 8 };

    /// <summary>
    /// G.722, static payload type 9. Its RTP clock is 8000 although it samples at 16000 (RFC 3551 §4.5.2),
    /// so its telephone-event must be the 8000 one.
    /// </summary>
    public static AudioCodec G722 { get; } = new("G722", 8000) { StaticPayloadType = 9, SampleRate = 16000 };

    /// <summary>G.729, static payload type 18.</summary>
    public static AudioCodec G729 { get; } = new("G729", 8000) { StaticPayloadType = 18 };

    /// <summary>Opus (RFC 7587): always <c>opus/48000/2</c> in SDP whatever the real rate and channels.</summary>
    public static AudioCodec Opus { get; } = new("opus", 48000, 2) { PreferredPayloadType = 111 };

    /// <summary>RFC 4733 DTMF events at the rate of whichever codec is negotiated, events 0–16.</summary>
    public static AudioCodec TelephoneEvent { get; } = new("telephone-event", 0) { FormatParameters = "0-16", PreferredPayloadType = 101 };

    /// <summary>The default capability list, in local preference order.</summary>
    public static IReadOnlyList<AudioCodec> DefaultCapabilities { get; } = [Pcmu, Pcma, G722, Opus, TelephoneEvent];

    /// <summary>The RFC 3551 static payload type, or null for a dynamic codec.</summary>
    public int? StaticPayloadType { get; init; }

    /// <summary>The dynamic payload type to use in our offers when it is free; otherwise one is picked from 96–127.</summary>
    public int? PreferredPayloadType { get; init; }

    /// <summary>Our <c>a=fmtp</c> parameters for this codec, or null.</summary>
    public string? FormatParameters { get; init; }

    /// <summary>Real audio sampling rate; equals <see cref="ClockRate"/> except for quirks like G.722.</summary>
    public int SampleRate { get; init; } = ClockRate;

    /// <summary>True for RFC 4733 telephone-event.</summary>
    public bool IsTelephoneEvent => EncodingName.Equals("telephone-event", StringComparison.OrdinalIgnoreCase);

    /// <summary>True when the rtpmap names this codec (a telephone-event with rate 0 matches any rate).</summary>
    public bool Matches(SdpRtpMap rtpMap)
    {
        ArgumentNullException.ThrowIfNull(rtpMap);
        return rtpMap.EncodingName.Equals(EncodingName, StringComparison.OrdinalIgnoreCase)
            && (rtpMap.ClockRate == ClockRate || (ClockRate == 0 && IsTelephoneEvent))
            && rtpMap.Channels == Channels;
    }
}
