namespace CallSwitch.Media.Relay;

/// <summary>
/// How the relay waits for datagrams: <see cref="Epoll"/> in production on Linux, chosen after
/// measuring four models (bench/notes/2026-11-29-relay-socket-models.md), and
/// <see cref="PollingThreads"/> as the portable fallback. The rest of the relay does not depend
/// on the choice.
/// </summary>
public enum RelaySocketModel
{
    /// <summary>
    /// The portable fallback (Windows, macOS): a few receiver threads
    /// (<see cref="MediaRelayOptions.ReceiverThreads"/>), each owning many sockets and waiting on
    /// them with <c>Socket.Select</c> in groups, pausing <see cref="MediaRelayOptions.PollInterval"/>
    /// between rounds so that one wake-up serves many packets.
    /// </summary>
    PollingThreads = 0,

    /// <summary>
    /// A few receiver threads (<see cref="MediaRelayOptions.ReceiverThreads"/>), each blocking in
    /// its own Linux epoll instance, whose cost grows with the ready sockets only, reading each
    /// ready socket with recvmmsg and sending what it relayed with sendmmsg; it never sleeps
    /// (bench/notes/2026-12-07-relay-batching.md). Falls back to <see cref="PollingThreads"/> on
    /// other systems.
    /// </summary>
    Epoll = 3,
}
