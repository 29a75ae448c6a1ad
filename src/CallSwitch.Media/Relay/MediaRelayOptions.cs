using System.Net;

namespace CallSwitch.Media.Relay;

/// <summary>Configuration of the media relay.</summary>
public sealed record MediaRelayOptions
{
    /// <summary>First port of the RTP range (rounded up to even).</summary>
    public int MinPort { get; init; } = 20000;

    /// <summary>Last port of the RTP range, inclusive.</summary>
    public int MaxPort { get; init; } = 29999;

    /// <summary>Address the legs' sockets bind to when a session does not name one.</summary>
    public IPAddress BindAddress { get; init; } = IPAddress.Any;

    /// <summary>How the relay waits for datagrams; see bench/MEDIA-RELAY.md for the measurements behind the default.</summary>
    public RelaySocketModel SocketModel { get; init; } = RelaySocketModel.PollingThreads;

    /// <summary>Receiver threads of <see cref="RelaySocketModel.PollingThreads"/>.</summary>
    public int ReceiverThreads { get; init; } = Math.Max(1, Environment.ProcessorCount);

    /// <summary>Pause between polling rounds that found little to do (<see cref="RelaySocketModel.PollingThreads"/>); bounds the latency it adds.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(2);
}
