using System.Net;
using System.Net.Sockets;

namespace CallSwitch.Media.Relay;

/// <summary>
/// One blocking receive loop per socket, each on its own thread with its own buffers. Cheap
/// per packet (one syscall, no handoff) but one thread per socket: 2,000 threads for 500 calls.
/// </summary>
internal sealed class ThreadPerSocketDriver : IRelaySocketDriver
{
    // Receive loops need little stack; keep 2,000 threads' reservations small.
    private const int StackSize = 256 * 1024;

    public void Add(RelaySocket socket)
    {
        var thread = new Thread(() => Run(socket), StackSize)
        {
            IsBackground = true,
            Name = "rtp " + socket.Name,
        };
        thread.Start();
    }

    public void Remove(RelaySocket socket) => socket.Stopped = true;

    public void Dispose()
    {
    }

    private static void Run(RelaySocket relaySocket)
    {
        Socket socket = relaySocket.Socket;
        byte[] buffer = GC.AllocateUninitializedArray<byte>(RelaySocket.MaxDatagramLength, pinned: true);
        byte[] scratch = GC.AllocateUninitializedArray<byte>(RelaySocket.ScratchLength, pinned: true);
        var source = new SocketAddress(socket.AddressFamily);
        while (!relaySocket.Stopped)
        {
            int received;
            try
            {
                received = socket.ReceiveFrom(buffer, SocketFlags.None, source);
            }
            catch (SocketException e) when (!relaySocket.Stopped && e.SocketErrorCode is SocketError.ConnectionReset or SocketError.MessageSize)
            {
                // ICMP port unreachable from an earlier send (Windows), or an oversize datagram.
                continue;
            }
            catch (Exception e) when (e is ObjectDisposedException or SocketException)
            {
                return;
            }

            relaySocket.Handler.OnDatagram(buffer.AsSpan(0, received), source, scratch);
        }
    }
}
