using System.Net;
using System.Net.Sockets;
using CallSwitch.Media.Relay;

namespace CallSwitch.Media.Tests.Relay;

public class ReceiverPoolDriverTests
{
    [Fact]
    public void SpreadsRtpSocketsOverTheReceiversAndKeepsEachRtcpWithItsRtp()
    {
        (int min, _) = TestPortRanges.Next();
        var pool = new TestPool(2);
        var sockets = new List<Socket>();
        try
        {
            // Two calls, as sessions add them: A-RTP, A-RTCP, B-RTP, B-RTCP.
            for (int port = min; port < min + 8; port++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
                sockets.Add(socket);
                pool.Add(new RelaySocket(socket, NullHandler.Instance, port.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }

            int[] rtpPerReceiver = pool.Receivers.Select(r => r.Ports.Count(p => p % 2 == 0)).ToArray();
            Assert.Equal([2, 2], rtpPerReceiver);
            foreach (TestReceiver receiver in pool.Receivers)
            {
                Assert.All(receiver.Ports.Where(p => p % 2 == 1), rtcp => Assert.Contains(rtcp - 1, receiver.Ports));
            }
        }
        finally
        {
            sockets.ForEach(s => s.Dispose());
        }
    }

    [Fact]
    public void KeepsTheSocketsOfOneCallOnOneReceiverAndSpreadsTheCalls()
    {
        (int min, _) = TestPortRanges.Next();
        var pool = new TestPool(2);
        var sockets = new List<Socket>();
        try
        {
            // Three calls whose ports would split each call over both receivers by pair.
            for (int call = 0; call < 3; call++)
            {
                int affinity = RelaySocket.NextAffinity();
                for (int i = 0; i < 4; i++)
                {
                    int port = min + (call * 4) + i;
                    var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                    socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
                    sockets.Add(socket);
                    pool.Add(new RelaySocket(socket, NullHandler.Instance, port.ToString(System.Globalization.CultureInfo.InvariantCulture)) { Affinity = affinity });
                }
            }

            // Each call whole on one receiver; consecutive calls alternate (4 + 8 sockets, either way round).
            foreach (TestReceiver receiver in pool.Receivers)
            {
                Assert.All(receiver.Ports.Chunk(4), call => Assert.Single(call.Select(p => (p - min) / 4).Distinct()));
            }

            Assert.Equal([4, 8], pool.Receivers.Select(r => r.Ports.Count).Order());
        }
        finally
        {
            sockets.ForEach(s => s.Dispose());
        }
    }

    [Fact]
    public void ASessionsFourSocketsShareOneAffinity()
    {
        (int min, int max) = TestPortRanges.Next();
        using var relay = new MediaRelay(new MediaRelayOptions { MinPort = min, MaxPort = max, BindAddress = IPAddress.Loopback, ReceiverThreads = 2 });
        using RelaySession first = relay.CreateSession();
        using RelaySession second = relay.CreateSession();
        int firstAffinity = Assert.Single(first.Sockets.Select(s => s.Affinity).Distinct());
        int secondAffinity = Assert.Single(second.Sockets.Select(s => s.Affinity).Distinct());
        Assert.Equal(4, first.Sockets.Count);
        Assert.NotEqual(firstAffinity, secondAffinity);
        Assert.True(firstAffinity >= 0 && secondAffinity >= 0);
    }

    private sealed class TestPool : ReceiverPoolDriver
    {
        public TestPool(int threads)
            : this(new List<TestReceiver>(), threads)
        {
        }

        private TestPool(List<TestReceiver> receivers, int threads)
            : base(threads, _ =>
            {
                var receiver = new TestReceiver();
                receivers.Add(receiver);
                return receiver;
            })
        {
            Receivers = receivers;
        }

        public IReadOnlyList<TestReceiver> Receivers { get; }
    }

    private sealed class TestReceiver : IRelaySocketDriver
    {
        public List<int> Ports { get; } = [];

        public void Add(RelaySocket socket) => Ports.Add(((IPEndPoint)socket.Socket.LocalEndPoint!).Port);

        public void Remove(RelaySocket socket)
        {
        }

        public void Dispose()
        {
        }
    }

    private sealed class NullHandler : IDatagramHandler
    {
        public static NullHandler Instance { get; } = new();

        public void OnDatagram(Span<byte> datagram, SocketAddress source, long receivedAt, Span<byte> scratch, IRelaySender sender)
        {
        }

        public void OnTruncated()
        {
        }
    }
}
