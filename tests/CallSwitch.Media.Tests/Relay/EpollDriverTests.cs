using System.Net;
using System.Net.Sockets;
using CallSwitch.Media.Relay;

namespace CallSwitch.Media.Tests.Relay;

/// <summary>
/// The epoll loop holds a registered socket's descriptor open by one reference from
/// <see cref="IRelaySocketDriver.Add"/> to <see cref="IRelaySocketDriver.Remove"/> (not one per
/// system call): these check that letting go of it is neither late (a closed socket's port stays
/// taken) nor early (a descriptor closed, hence reusable, while the loop still reads or sends on it).
/// </summary>
public class EpollDriverTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    [Fact]
    public void ASocketRemovedThenClosedFreesItsPortAtOnce()
    {
        using var driver = new EpollDriver(threads: 1, batch: 8, batchedSends: true);
        using var peer = Bound();
        Socket socket = Bound();
        int port = Port(socket);
        var handler = new CountingHandler();
        var relaySocket = new RelaySocket(socket, handler, "s");
        driver.Add(relaySocket);
        peer.SendTo(new byte[20], new IPEndPoint(IPAddress.Loopback, port));
        Assert.True(handler.Received.Wait(Patience), "the loop never read the socket");

        driver.Remove(relaySocket);

        // A socket's Dispose waits for every reference on its handle: it would not return if the
        // loop had kept its own (on a thread of its own here, so that the test fails, not hangs).
        using var closed = new ManualResetEventSlim();
        new Thread(() =>
        {
            socket.Dispose();
            closed.Set();
        }) { IsBackground = true }.Start();
        Assert.True(closed.Wait(Patience), "closing the removed socket waited for the loop's reference");

        // Bind throws (address in use) if the descriptor were still open.
        using var again = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        again.Bind(new IPEndPoint(IPAddress.Loopback, port));
        Assert.Equal(port, Port(again));
    }

    [Fact]
    public void RemoveFromAnotherThreadWaitsForTheWakeUpBeingHandled()
    {
        using var driver = new EpollDriver(threads: 1, batch: 8, batchedSends: true);
        using var peer = Bound();
        using Socket busySocket = Bound();
        using Socket otherSocket = Bound();
        using var release = new ManualResetEventSlim();
        var busy = new CountingHandler(block: release);
        var busyRelay = new RelaySocket(busySocket, busy, "busy");
        var otherRelay = new RelaySocket(otherSocket, new CountingHandler(), "other");
        driver.Add(busyRelay);
        driver.Add(otherRelay);
        peer.SendTo(new byte[20], busySocket.LocalEndPoint!);
        Assert.True(busy.Received.Wait(Patience), "the loop never read the busy socket");

        // The loop is inside a handler: it may still use any socket it holds until it returns.
        using var removed = new ManualResetEventSlim();
        var removing = new Thread(() =>
        {
            driver.Remove(otherRelay);
            removed.Set();
        });
        removing.Start();
        Assert.False(removed.Wait(TimeSpan.FromMilliseconds(300)), "Remove returned while the loop was still handling a wake-up");
        release.Set();
        Assert.True(removed.Wait(Patience), "Remove did not return once the wake-up was handled");
        removing.Join();
        driver.Remove(busyRelay);
    }

    [Fact]
    public void AHandlerMayRemoveAndCloseItsOwnSocketWithoutWaitingForItself()
    {
        using var driver = new EpollDriver(threads: 1, batch: 8, batchedSends: true);
        using var peer = Bound();
        Socket socket = Bound();
        int port = Port(socket);
        RelaySocket? relaySocket = null;
        using var done = new ManualResetEventSlim();
        var handler = new CountingHandler(onFirst: () =>
        {
            driver.Remove(relaySocket!);
            socket.Dispose();
            done.Set();
        });
        relaySocket = new RelaySocket(socket, handler, "s");

        // Three datagrams waiting before the socket is registered: one wake-up, one batch.
        for (int i = 0; i < 3; i++)
        {
            peer.SendTo(new byte[20], new IPEndPoint(IPAddress.Loopback, port));
        }

        driver.Add(relaySocket);
        Assert.True(done.Wait(Patience), "the handler's Remove did not return (it waited for its own thread)");

        // Closed at once (a socket's Dispose waits for every reference on its handle: had the loop
        // kept its own, the handler would still be waiting for itself).
        using var again = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        again.Bind(new IPEndPoint(IPAddress.Loopback, port));

        // The rest of the batch went nowhere: the socket was removed by the first datagram's handler.
        Thread.Sleep(100);
        Assert.Equal(1, handler.Count);
    }

    private static Socket Bound()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }

    private static int Port(Socket socket) => ((IPEndPoint)socket.LocalEndPoint!).Port;

    private sealed class CountingHandler(ManualResetEventSlim? block = null, Action? onFirst = null) : IDatagramHandler
    {
        private int _count;

        public ManualResetEventSlim Received { get; } = new();

        public int Count => Volatile.Read(ref _count);

        public void OnDatagram(Span<byte> datagram, SocketAddress source, long receivedAt, Span<byte> scratch, IRelaySender sender)
        {
            if (Interlocked.Increment(ref _count) == 1)
            {
                onFirst?.Invoke();
            }

            Received.Set();
            block?.Wait(Patience);
        }

        public void OnTruncated()
        {
        }
    }
}
