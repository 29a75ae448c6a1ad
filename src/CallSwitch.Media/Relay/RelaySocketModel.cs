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
    /// Like <see cref="PollingThreads"/>, but each receiver thread waits with its own Linux
    /// epoll instance, whose cost grows with the ready sockets only; falls back to
    /// <see cref="PollingThreads"/> on other systems.
    /// </summary>
    Epoll = 3,
}
