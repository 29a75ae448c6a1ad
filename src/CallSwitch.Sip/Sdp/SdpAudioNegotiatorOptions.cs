using System.Net;

namespace CallSwitch.Sip.Sdp;

/// <summary>Local media settings of one call leg, used by <see cref="SdpAudioNegotiator"/>.</summary>
public sealed class SdpAudioNegotiatorOptions
{
    /// <summary>Creates options for the given local RTP address and port.</summary>
    public SdpAudioNegotiatorOptions(IPAddress localAddress, int rtpPort)
    {
        ArgumentNullException.ThrowIfNull(localAddress);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rtpPort);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rtpPort, 65535);
        LocalAddress = localAddress;
        RtpPort = rtpPort;
    }

    /// <summary>Address written in <c>o=</c> and <c>c=</c>.</summary>
    public IPAddress LocalAddress { get; }

    /// <summary>
    /// An address of the other family (usually IPv6) used instead of <see cref="LocalAddress"/> when answering
    /// an offer whose connection is of that family.
    /// </summary>
    public IPAddress? AlternateAddress { get; init; }

    /// <summary>Local RTP port (RTCP on the next port unless rtcp-mux is negotiated).</summary>
    public int RtpPort { get; }

    /// <summary>Codecs we serve, in local preference order; include <see cref="AudioCodec.TelephoneEvent"/> for DTMF.</summary>
    public IReadOnlyList<AudioCodec> Codecs { get; init; } = AudioCodec.DefaultCapabilities;

    /// <summary>The <c>o=</c> user name.</summary>
    public string UserName { get; init; } = "-";

    /// <summary>The <c>s=</c> value.</summary>
    public string SessionName { get; init; } = "-";

    /// <summary>Packetization time written in our offers, or null to leave it to the peer.</summary>
    public int? Ptime { get; init; }

    /// <summary>Whether we offer and accept RTP/RTCP multiplexing (RFC 5761).</summary>
    public bool RtcpMux { get; init; } = true;
}
