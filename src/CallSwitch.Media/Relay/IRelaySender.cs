using System.Net;

namespace CallSwitch.Media.Relay;

/// <summary>
/// How a packet handler sends: at once (<see cref="ImmediateSender"/>), or queued on the
/// receive loop's batch and sent with one system call per socket once the received batch is
/// handled (<see cref="BatchSender"/>). Either way the packet is counted on the leg's counters:
/// sent (RTP: packets and bytes; RTCP: packets), or a send error when the socket refuses it. A
/// queued packet counts as sent from the moment it is queued (the leg's sinks see it then): if
/// the flush fails, the count is taken back and a send error counted instead.
/// </summary>
internal interface IRelaySender
{
    /// <summary>
    /// Sends, or queues, <paramref name="packet"/> out of <paramref name="socket"/> to
    /// <paramref name="destination"/>. The packet and the address are copied if kept: the caller
    /// may reuse both on return.
    /// </summary>
    /// <returns>False when the socket refused it now (counted as a send error).</returns>
    bool Send(RelaySocket socket, ReadOnlySpan<byte> packet, SocketAddress destination, LegCounterSet counters, bool rtcp);
}
