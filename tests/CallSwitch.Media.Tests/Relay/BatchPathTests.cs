using System.Net;
using System.Net.Sockets;
using CallSwitch.Media.Relay;

namespace CallSwitch.Media.Tests.Relay;

/// <summary>The epoll model's batched system calls on their own: recvmmsg and sendmmsg.</summary>
public class BatchPathTests
{
    [Fact]
    public void ReceiveReturnsAtOnceWhenNothingWaitsThenAPartialBatchThenNothing()
    {
        using Socket socket = Bound(IPAddress.Loopback);
        using Socket peer = Bound(IPAddress.Loopback);
        var receiver = new BatchReceiver(8);

        // EAGAIN: the socket is blocking (.NET's default) and still nothing waits.
        Assert.Equal(0, receiver.Receive(socket));

        for (int i = 0; i < 3; i++)
        {
            peer.SendTo(new byte[] { (byte)i, 1, 2 }.AsSpan(0, i + 1), SocketFlags.None, socket.LocalEndPoint!);
        }

        RelayFixture.WaitFor(() => socket.Available > 0);
        Assert.Equal(3, receiver.Receive(socket));
        var peerAddress = (IPEndPoint)peer.LocalEndPoint!;
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(i + 1, receiver.Datagram(i).Length);
            Assert.Equal((byte)i, receiver.Datagram(i)[0]);
            Assert.False(receiver.Truncated(i));
            Assert.Equal(peerAddress.Serialize(), receiver.Source(i));
        }

        Assert.Equal(0, receiver.Receive(socket));
    }

    [Fact]
    public void ReceiveReportsATruncatedDatagramAndReadsOn()
    {
        using Socket socket = Bound(IPAddress.Loopback);
        using Socket peer = Bound(IPAddress.Loopback);
        var receiver = new BatchReceiver(4);
        peer.SendTo(new byte[RelaySocket.MaxDatagramLength + 100], socket.LocalEndPoint!);
        peer.SendTo(new byte[] { 7 }, socket.LocalEndPoint!);
        RelayFixture.WaitFor(() => socket.Available > 0);

        Assert.Equal(2, receiver.Receive(socket));
        Assert.True(receiver.Truncated(0));
        Assert.False(receiver.Truncated(1));
        Assert.Equal([7], receiver.Datagram(1).ToArray());
    }

    [Fact]
    public void ReceiveOnAClosedSocketReturnsNothing()
    {
        Socket socket = Bound(IPAddress.Loopback);
        socket.Dispose();
        Assert.Equal(0, new BatchReceiver(4).Receive(socket));
    }

    [Fact]
    public void ReceiveReadsIpv6Sources()
    {
        using Socket socket = Bound(IPAddress.IPv6Loopback);
        using Socket peer = Bound(IPAddress.IPv6Loopback);
        var receiver = new BatchReceiver(4);
        peer.SendTo(new byte[] { 1 }, socket.LocalEndPoint!);
        RelayFixture.WaitFor(() => socket.Available > 0);

        Assert.Equal(1, receiver.Receive(socket));
        SocketAddress source = receiver.Source(0);
        Assert.Equal(AddressFamily.InterNetworkV6, source.Family);
        Assert.Equal(((IPEndPoint)peer.LocalEndPoint!).Serialize(), source);
    }

    [Fact]
    public void FlushSendsEachRunOfOneSocketAndCountsThePackets()
    {
        using Socket a = Bound(IPAddress.Loopback);
        using Socket b = Bound(IPAddress.Loopback);
        using var peer = new UdpPeer();
        var countersA = new LegCounterSet();
        var countersB = new LegCounterSet();
        var sender = new BatchSender(4);
        SocketAddress to = peer.EndPoint.Serialize();

        // Six packets over a four-slot batch: the fifth flushes the first four.
        for (int i = 0; i < 6; i++)
        {
            bool fromA = i % 3 != 2;
            Assert.True(sender.Send(Relay(fromA ? a : b), new byte[] { (byte)i, 0, 0 }, to, fromA ? countersA : countersB, rtcp: false));
        }

        Assert.Equal(2, sender.Pending);
        Assert.Equal(4, countersA.PacketsOut); // counted when queued
        sender.Flush();
        Assert.Equal(0, sender.Pending);

        List<byte[]> received = peer.ReceiveMany(6);
        Assert.Equal([0, 1, 2, 3, 4, 5], received.Select(p => (int)p[0]));
        Assert.Equal(4, countersA.PacketsOut);
        Assert.Equal(12, countersA.BytesOut);
        Assert.Equal(2, countersB.PacketsOut);
        Assert.Equal(0, countersA.SendErrors + countersB.SendErrors);
    }

    [Fact]
    public void ARefusedPacketIsCountedAsASendErrorAndTheRestOfTheRunGoesOut()
    {
        using Socket socket = Bound(IPAddress.Loopback);
        using var peer = new UdpPeer();
        var counters = new LegCounterSet();
        var sender = new BatchSender(8);
        RelaySocket relaySocket = Relay(socket);
        SocketAddress to = peer.EndPoint.Serialize();
        // An IPv6 address on an IPv4 socket: the kernel refuses that one message (EAFNOSUPPORT).
        SocketAddress wrongFamily = new IPEndPoint(IPAddress.IPv6Loopback, peer.EndPoint.Port).Serialize();

        sender.Send(relaySocket, new byte[] { 1 }, to, counters, rtcp: false);
        sender.Send(relaySocket, new byte[] { 2, 2 }, wrongFamily, counters, rtcp: false);
        sender.Send(relaySocket, new byte[] { 3 }, to, counters, rtcp: true);
        sender.Flush();

        Assert.Equal([1, 3], peer.ReceiveMany(2).Select(p => (int)p[0]));
        Assert.Null(peer.Receive(100));
        Assert.Equal(1, counters.PacketsOut);
        Assert.Equal(1, counters.BytesOut);
        Assert.Equal(1, counters.RtcpPacketsOut);
        Assert.Equal(1, counters.SendErrors);
    }

    [Fact]
    public void ASocketClosedBeforeTheFlushCountsItsPacketsAsSendErrorsAndTheOthersGoOut()
    {
        Socket closed = Bound(IPAddress.Loopback);
        using Socket open = Bound(IPAddress.Loopback);
        using var peer = new UdpPeer();
        var closedCounters = new LegCounterSet();
        var openCounters = new LegCounterSet();
        var sender = new BatchSender(8);
        SocketAddress to = peer.EndPoint.Serialize();

        sender.Send(Relay(closed), new byte[] { 1 }, to, closedCounters, rtcp: false);
        sender.Send(Relay(closed), new byte[] { 2 }, to, closedCounters, rtcp: false);
        sender.Send(Relay(open), new byte[] { 3 }, to, openCounters, rtcp: false);
        closed.Dispose(); // the call ended between the handler's send and the flush
        sender.Flush();

        Assert.Equal([3], peer.ReceiveMany(1).Select(p => (int)p[0]));
        Assert.Null(peer.Receive(100));
        Assert.Equal(0, closedCounters.PacketsOut);
        Assert.Equal(0, closedCounters.BytesOut);
        Assert.Equal(2, closedCounters.SendErrors);
        Assert.Equal(1, openCounters.PacketsOut);
    }

    [Fact]
    public void ASendToTheConnectedPeerGoesWithoutAnAddress()
    {
        using Socket socket = Bound(IPAddress.Loopback);
        using var peer = new UdpPeer();
        using var other = new UdpPeer();
        RelaySocket relaySocket = Relay(socket);
        SocketAddress latched = peer.EndPoint.Serialize();
        Assert.True(relaySocket.Connect(latched));
        Assert.Same(latched, relaySocket.ConnectedTo);
        var counters = new LegCounterSet();
        var sender = new BatchSender(4);

        // The latched instance: sent with no address (valid only because the socket is connected).
        sender.Send(relaySocket, new byte[] { 1 }, latched, counters, rtcp: false);
        // Another address (a copy of it, then someone else): sent with the address.
        sender.Send(relaySocket, new byte[] { 2 }, peer.EndPoint.Serialize(), counters, rtcp: false);
        sender.Send(relaySocket, new byte[] { 3 }, other.EndPoint.Serialize(), counters, rtcp: false);
        sender.Flush();

        Assert.Equal([1, 2], peer.ReceiveMany(2).Select(p => (int)p[0]));
        Assert.Equal([3], other.ReceiveMany(1).Select(p => (int)p[0]));
        Assert.Equal(0, counters.SendErrors);

        relaySocket.Disconnect();
        Assert.Null(relaySocket.ConnectedTo);
    }

    [Fact]
    public void BatchedReceiveAndSendAllocateNothing()
    {
        using Socket inbound = Bound(IPAddress.Loopback);
        using Socket outbound = Bound(IPAddress.Loopback);
        using Socket peer = Bound(IPAddress.Loopback);
        var receiver = new BatchReceiver(8);
        var sender = new BatchSender(8);
        RelaySocket relaySocket = Relay(outbound);
        var counters = new LegCounterSet();
        SocketAddress inboundAddress = ((IPEndPoint)inbound.LocalEndPoint!).Serialize();
        SocketAddress peerAddress = ((IPEndPoint)peer.LocalEndPoint!).Serialize();
        byte[] packet = new byte[172];
        byte[] drain = new byte[2048];
        long allocated = 0;

        for (int round = 0; round < 300; round++)
        {
            peer.SendTo(packet, SocketFlags.None, inboundAddress);
            peer.SendTo(packet, SocketFlags.None, inboundAddress);
            int relayed = 0;
            long deadline = Environment.TickCount64 + 3000;
            while (relayed < 2 && Environment.TickCount64 < deadline)
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                int received = receiver.Receive(inbound);
                for (int i = 0; i < received; i++)
                {
                    _ = receiver.Source(i);
                    sender.Send(relaySocket, receiver.Datagram(i), peerAddress, counters, rtcp: false);
                }

                sender.Flush();
                long after = GC.GetAllocatedBytesForCurrentThread();
                if (round >= 100)
                {
                    allocated += after - before; // the first rounds warm up (JIT, statics)
                }

                relayed += received;
            }

            while (peer.Available > 0)
            {
                peer.Receive(drain);
            }
        }

        Assert.Equal(0, allocated);
        Assert.Equal(600, counters.PacketsOut);
    }

    private static Socket Bound(IPAddress address)
    {
        var socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(address, 0));
        return socket;
    }

    private static RelaySocket Relay(Socket socket) => new(socket, NoHandler.Instance, "test");

    private sealed class NoHandler : IDatagramHandler
    {
        public static NoHandler Instance { get; } = new();

        public void OnDatagram(Span<byte> datagram, SocketAddress source, long receivedAt, Span<byte> scratch, IRelaySender sender) =>
            throw new InvalidOperationException("not registered with a driver");

        public void OnTruncated() => throw new InvalidOperationException("not registered with a driver");
    }
}
