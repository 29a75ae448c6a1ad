namespace CallSwitch.Media.Relay;

/// <summary>
/// How the relay waits for datagrams. The choice decides capacity (see bench/MEDIA-RELAY.md
/// for CPU per relayed packet of each on the project's machine); the rest of the relay does
/// not depend on it. <see cref="Epoll"/> is the default.
/// </summary>
public enum RelaySocketModel
{
    /// <summary>
    /// A few receiver threads (<see cref="MediaRelayOptions.ReceiverThreads"/>), each owning
    /// many sockets and waiting on them with <c>Socket.Select</c> in groups, pausing
    /// <see cref="MediaRelayOptions.PollInterval"/> between rounds so that one wake-up serves
    /// many packets.
    /// </summary>
    PollingThreads = 0,

    /// <summary>One blocking receive loop per socket, on its own thread.</summary>
    ThreadPerSocket = 1,

    /// <summary>
    /// <c>ReceiveFromAsync(Memory, SocketFlags, SocketAddress)</c> with a reused address; cheaper
    /// with <c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1</c> in the environment.
    /// </summary>
    Async = 2,

    /// <summary>
    /// Like <see cref="PollingThreads"/>, but each receiver thread waits with its own Linux
    /// epoll instance, whose cost grows with the ready sockets only; falls back to
    /// <see cref="PollingThreads"/> on other systems.
    /// </summary>
    Epoll = 3,
}
