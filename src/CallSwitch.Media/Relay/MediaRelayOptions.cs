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
    /// Pause after a receive round that found little to do (<see cref="RelaySocketModel.PollingThreads"/>
    /// only), so that the next round serves many packets per wake-up; it is also the most latency
    /// the polling adds. <see cref="RelaySocketModel.Epoll"/> blocks in the kernel instead and
    /// never sleeps.
    /// </summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(2);

    /// <summary>
    /// Datagrams read per recvmmsg and sent per sendmmsg by <see cref="RelaySocketModel.Epoll"/>
    /// (1–1024). Only measurements change it (bench/relay-rig).
    /// </summary>
    internal int Batch { get; init; } = 32;

    /// <summary>
    /// Whether <see cref="RelaySocketModel.Epoll"/> sends a batch's packets with one sendmmsg
    /// (true) or each with its own sendto. Only measurements change it (bench/relay-rig).
    /// </summary>
    internal bool BatchedSends { get; init; } = true;

    /// <summary>
    /// Whether a leg's RTP socket is connected to its peer once latched (connect(2)): the kernel
    /// sends without a route look-up and drops other sources itself, so they are no longer
    /// counted as <see cref="RelayLegCounters.DroppedUnexpectedSource"/>. Off by default; only
    /// measurements change it (bench/relay-rig).
    /// </summary>
    internal bool ConnectLatchedPeers { get; init; }
}
