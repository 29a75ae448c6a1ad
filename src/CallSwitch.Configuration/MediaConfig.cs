using System.Net;

namespace CallSwitch.Configuration;

/// <summary>Where the RTP relay binds and what it advertises in SDP (key 'switch.media').</summary>
public sealed record MediaConfig
{
    /// <summary>The address RTP sockets bind to.</summary>
    public IPAddress RtpAddress { get; init; } = IPAddress.Loopback;

    /// <summary>The address written in SDP c= lines (RFC 4566 §5.7); the RTP address unless set.</summary>
    public IPAddress AdvertisedAddress { get; init; } = IPAddress.Loopback;

    /// <summary>First port of the RTP range (even: RTP takes even ports, RTCP the next odd one, RFC 3550 §11).</summary>
    public int RtpPortMin { get; init; } = 20_000;

    /// <summary>Last port of the RTP range (even).</summary>
    public int RtpPortMax { get; init; } = 30_000;

    /// <summary>Seconds without RTP from either side after which a call is ended; 0 disables the check.</summary>
    public int RtpTimeoutSeconds { get; init; } = 60;
}
