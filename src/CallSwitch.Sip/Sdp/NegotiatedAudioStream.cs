using System.Net;

namespace CallSwitch.Sip.Sdp;

/// <summary>
/// The outcome of an offer/answer exchange for the audio stream, from our point of view: what to send
/// where, and what to expect.
/// </summary>
public sealed record NegotiatedAudioStream
{
    /// <summary>Position of the audio <c>m=</c> line in both descriptions.</summary>
    public required int MediaIndex { get; init; }

    /// <summary>
    /// The negotiated codec, with the payload type number to put in the RTP we send to the remote party
    /// (the number from the remote party's description).
    /// </summary>
    public required SdpRtpMap Codec { get; init; }

    /// <summary>The remote party's <c>a=fmtp</c> parameters for the codec, if any.</summary>
    public string? FormatParameters { get; init; }

    /// <summary>Payload type of the RFC 4733 telephone-event at the codec's clock rate, or null when DTMF relay is not negotiated.</summary>
    public int? TelephoneEventPayloadType { get; init; }

    /// <summary>Remote RTP address as written (IP literal or FQDN); <c>0.0.0.0</c> on an RFC 2543 hold.</summary>
    public required string RemoteAddress { get; init; }

    /// <summary>Remote RTP port.</summary>
    public required int RemotePort { get; init; }

    /// <summary>Remote RTCP address: from <c>a=rtcp</c> (RFC 3605) when given, else the RTP address.</summary>
    public required string RemoteRtcpAddress { get; init; }

    /// <summary>Remote RTCP port: the RTP port with rtcp-mux, else <c>a=rtcp</c>, else RTP port + 1 (RFC 3550 §11).</summary>
    public required int RemoteRtcpPort { get; init; }

    /// <summary>True when both sides agreed on RTP/RTCP multiplexing (RFC 5761).</summary>
    public bool RtcpMux { get; init; }

    /// <summary>What we do: sendrecv, sendonly (we hold or they receive only), recvonly, inactive.</summary>
    public required SdpMediaDirection LocalDirection { get; init; }

    /// <summary>The remote party's direction, with <c>c=0.0.0.0</c> counted as not receiving.</summary>
    public required SdpMediaDirection RemoteDirection { get; init; }

    /// <summary>True when the remote party holds the call (c=0.0.0.0, sendonly or inactive).</summary>
    public bool RemoteOnHold { get; init; }

    /// <summary>The remote party's <c>a=ptime</c>: how it wants to receive packets, in milliseconds.</summary>
    public int? Ptime { get; init; }

    /// <summary>The remote RTP endpoint, or null when the address is an FQDN or the hold address.</summary>
    public IPEndPoint? RemoteRtpEndPoint =>
        IPAddress.TryParse(RemoteAddress, out var ip) && !ip.Equals(IPAddress.Any) && !ip.Equals(IPAddress.IPv6Any)
            ? new IPEndPoint(ip, RemotePort)
            : null;
}
