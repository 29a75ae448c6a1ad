using System.Net;
using System.Net.Sockets;

namespace CallSwitch.Media.Relay;

/// <summary>One <c>sendto</c> per packet, on the caller's thread: injected packets, and the polling model.</summary>
internal sealed class ImmediateSender : IRelaySender
{
    public static ImmediateSender Instance { get; } = new();

    public bool Send(RelaySocket socket, ReadOnlySpan<byte> packet, SocketAddress destination, LegCounterSet counters, bool rtcp)
    {
        try
        {
            // An explicit address is valid on a connected datagram socket too.
            socket.Socket.SendTo(packet, SocketFlags.None, destination);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            Interlocked.Increment(ref counters.SendErrors);
            return false;
        }

        CountSent(counters, packet.Length, rtcp, 1);
        return true;
    }

    /// <summary>Adds (<paramref name="sign"/> 1) or takes back (-1) one sent packet on the leg's counters.</summary>
    public static void CountSent(LegCounterSet counters, int length, bool rtcp, int sign)
    {
        if (rtcp)
        {
            Interlocked.Add(ref counters.RtcpPacketsOut, sign);
        }
        else
        {
            Interlocked.Add(ref counters.PacketsOut, sign);
            Interlocked.Add(ref counters.BytesOut, sign * length);
        }
    }
}
