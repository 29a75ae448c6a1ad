using System.Net;

namespace CallSwitch.Media.Relay;

/// <summary>
/// What signalling negotiated for one leg: where the peer said it receives (SDP c=/m=, and
/// a=rtcp of RFC 3605), the payload types, and the latching policy. Immutable: a re-INVITE
/// makes a new instance and hands it to <see cref="RelaySession.Configure"/>.
/// </summary>
public sealed record RelayLegSettings
{
    /// <summary>The peer's RTP address from SDP; null until known (nothing is sent before).</summary>
    public IPEndPoint? RemoteRtp { get; init; }

    /// <summary>The peer's RTCP address; null means RTP port + 1 (RFC 3550 §11).</summary>
    public IPEndPoint? RemoteRtcp { get; init; }

    /// <summary>The audio payload type this leg's peer sends and expects (0 = PCMU).</summary>
    public int AudioPayloadType { get; init; }

    /// <summary>RTP clock rate of the audio payload (8000 for G.711 and G.722).</summary>
    public int ClockRate { get; init; } = 8000;

    /// <summary>The telephone-event payload type (RFC 4733), or -1 when not negotiated.</summary>
    public int TelephoneEventPayloadType { get; init; } = -1;

    /// <summary>How the leg latches onto the peer's actual address.</summary>
    public LatchPolicy Latch { get; init; } = LatchPolicy.StrictAddress;

    /// <summary>How long after <see cref="RelaySession.Configure"/> a packet from any source may latch, with <see cref="LatchPolicy.AnySourceWithinWindow"/>.</summary>
    public TimeSpan LatchAnyWindow { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The effective RTCP address (explicit, or RTP port + 1).</summary>
    public IPEndPoint? EffectiveRemoteRtcp =>
        RemoteRtcp ?? (RemoteRtp is null ? null : new IPEndPoint(RemoteRtp.Address, RemoteRtp.Port + 1));
}
