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

    /// <summary>
    /// How the relay waits for datagrams. Epoll (Linux; polling threads elsewhere) cost the
    /// least CPU per relayed packet with a handful of threads; see
    /// bench/notes/2026-11-29-relay-socket-models.md.
    /// </summary>
    public RelaySocketModel SocketModel { get; init; } = RelaySocketModel.Epoll;

    /// <summary>Receiver threads of <see cref="RelaySocketModel.Epoll"/> and <see cref="RelaySocketModel.PollingThreads"/>.</summary>
    public int ReceiverThreads { get; init; } = Math.Max(1, Environment.ProcessorCount);

    /// <summary>
    /// Pause after a receive round that found little to do (<see cref="RelaySocketModel.Epoll"/>,
    /// <see cref="RelaySocketModel.PollingThreads"/>), so that the next round serves many packets
    /// per wake-up; it is also the most latency the batching adds.
    /// </summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(2);
}
