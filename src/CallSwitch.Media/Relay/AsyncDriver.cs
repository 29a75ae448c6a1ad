using System.Net;
using System.Net.Sockets;

namespace CallSwitch.Media.Relay;

/// <summary>
/// One pending <c>ReceiveFromAsync(Memory, SocketFlags, SocketAddress)</c> per socket, with a
/// buffer and an address reused for every datagram (no allocation per receive). Completions
/// run on the thread pool, or on the socket engine's thread with
/// <c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1</c>.
/// </summary>
internal sealed class AsyncDriver : IRelaySocketDriver
{
    public void Add(RelaySocket socket) => _ = RunAsync(socket);

    public void Remove(RelaySocket socket) => socket.Stopped = true;

    public void Dispose()
    {
    }

    private static async Task RunAsync(RelaySocket relaySocket)
    {
        // Leave the caller's thread before the first receive completes synchronously.
        await Task.Yield();
        Socket socket = relaySocket.Socket;
        byte[] buffer = GC.AllocateUninitializedArray<byte>(RelaySocket.MaxDatagramLength, pinned: true);
        byte[] scratch = GC.AllocateUninitializedArray<byte>(RelaySocket.ScratchLength, pinned: true);
        var source = new SocketAddress(socket.AddressFamily);
        var memory = new Memory<byte>(buffer);
        while (!relaySocket.Stopped)
        {
            int received;
            try
            {
                received = await socket.ReceiveFromAsync(memory, SocketFlags.None, source).ConfigureAwait(false);
            }
            catch (SocketException e) when (!relaySocket.Stopped && e.SocketErrorCode is SocketError.ConnectionReset or SocketError.MessageSize)
            {
                continue;
            }
            catch (Exception e) when (e is ObjectDisposedException or SocketException or OperationCanceledException)
            {
                return;
            }

            relaySocket.Handler.OnDatagram(buffer.AsSpan(0, received), source, scratch);
        }
    }
}
