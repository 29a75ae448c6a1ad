using System.Net;
using CallSwitch.Sip.Sdp;
using CallSwitch.Sip.Transport;

namespace CallSwitch.Calls.Routing;

/// <summary>A carrier trunk as routing uses it: where to send, as whom, with which codecs and how many calls at once.</summary>
public sealed record Trunk
{
    public required string Id { get; init; }

    public required IPEndPoint EndPoint { get; init; }

    /// <summary>The host written in Request-URIs and To (the configured name or address).</summary>
    public required string Host { get; init; }

    public SipProtocol Protocol { get; init; } = SipProtocol.Udp;

    public string? Username { get; init; }

    /// <summary>The carrier's password for its digest challenge. Never logged.</summary>
    public string? Password { get; init; }

    /// <summary>The caller id (E.164) used when the campaign sets none.</summary>
    public string? CallerId { get; init; }

    /// <summary>The domain of our From; the trunk's host when null.</summary>
    public string? FromDomain { get; init; }

    public IReadOnlyList<AudioCodec> Codecs { get; init; } = [AudioCodec.Pcma, AudioCodec.Pcmu, AudioCodec.TelephoneEvent];

    public int MaxChannels { get; init; } = 30;

    /// <inheritdoc />
    public override string ToString() => $"Trunk {Id} ({Protocol} {EndPoint})";
}
