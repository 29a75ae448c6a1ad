using System.Net;

namespace CallSwitch.Media.Relay;

/// <summary>Where a socket driver hands each received datagram.</summary>
internal interface IDatagramHandler
{
    /// <summary>
    /// Handles one datagram, synchronously, on the driver's thread. <paramref name="datagram"/>
    /// and <paramref name="scratch"/> belong to the driver's receive loop and are reused for the
    /// next datagram as soon as this returns; <paramref name="source"/> likewise. What the
    /// handler relays goes through <paramref name="sender"/>, the loop's own.
    /// <paramref name="receivedAt"/> is the time of the loop's wake-up (its time provider's
    /// timestamp, read once for all the datagrams of that wake-up rather than once per packet:
    /// bench/notes/2026-12-08-new-machine.md §2).
    /// </summary>
    void OnDatagram(Span<byte> datagram, SocketAddress source, long receivedAt, Span<byte> scratch, IRelaySender sender);

    /// <summary>A datagram longer than the receive buffer arrived: it was dropped (counted as malformed).</summary>
    void OnTruncated();
}
