using System.Net;
using CallSwitch.Media.Relay;
using CallSwitch.Media.Rtp;

namespace CallSwitch.Media.Tests.Relay;

/// <summary>The relay's batched receive loop end to end: bursts, truncation, closing, connected peers.</summary>
public class RelayBatchTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(32)]
    public void RelaysABurstLongerThanSeveralBatchesWholeAndInOrder(int batch)
    {
        using var fixture = new RelayFixture(tune: o => o with { Batch = batch });
        const int Count = 100;
        for (int i = 0; i < Count; i++)
        {
            fixture.Agent.SendRtp(fixture.RelayA, 0, (ushort)(1000 + i), (uint)(i * 160), 0xA9E17, RelayFixture.Payload(i));
        }

        List<byte[]> packets = fixture.Trunk.ReceiveMany(Count);
        Assert.Equal(Count, packets.Count);
        Assert.True(RtpPacket.TryParse(packets[0], out RtpPacket first));
        for (int i = 0; i < Count; i++)
        {
            Assert.True(RtpPacket.TryParse(packets[i], out RtpPacket packet));
            Assert.Equal(RelayFixture.Payload(i), packet.Payload.ToArray());
            Assert.Equal((ushort)(first.SequenceNumber + i), packet.SequenceNumber);
        }

        RelayFixture.WaitFor(() => fixture.Session.LegB.Counters.PacketsOut == Count);
        Assert.Equal(Count, fixture.Session.LegA.Counters.PacketsIn);
        Assert.Equal(0, fixture.Session.LegB.Counters.SendErrors);
    }

    [Theory]
    [InlineData(RelaySocketModel.Epoll)]
    [InlineData(RelaySocketModel.PollingThreads)]
    public void DropsATruncatedDatagramAsMalformedAndRelaysTheNext(RelaySocketModel model)
    {
        using var fixture = new RelayFixture(model);
        byte[] oversized = UdpPeer.Rtp(0, 1, 0, 0xA9E17, new byte[RelaySocket.MaxDatagramLength + 500]);
        fixture.Agent.Send(oversized, fixture.RelayA);
        RelayFixture.WaitFor(() => fixture.Session.LegA.Counters.DroppedMalformed == 1);

        fixture.Agent.SendRtp(fixture.RelayA, 0, 2, 160, 0xA9E17, RelayFixture.Payload(2));
        Assert.True(RtpPacket.TryParse(fixture.Trunk.Receive(), out RtpPacket relayed));
        Assert.Equal(RelayFixture.Payload(2), relayed.Payload.ToArray());
        Assert.Equal(1, fixture.Session.LegA.Counters.PacketsIn);
    }

    [Fact]
    public void ASessionClosedInTheMiddleOfItsBurstLeavesTheLoopServingTheOthers()
    {
        using var fixture = new RelayFixture(tune: o => o with { Batch = 4 });
        using var agent = new UdpPeer();
        using var trunk = new UdpPeer();
        RelaySession closing = fixture.Relay.CreateSession();
        closing.Configure(RelayLegId.A, new RelayLegSettings { RemoteRtp = agent.EndPoint });
        closing.Configure(RelayLegId.B, new RelayLegSettings { RemoteRtp = trunk.EndPoint });
        IPEndPoint closingA = closing.LegA.LocalRtpEndPoint;
        for (int i = 0; i < 60; i++)
        {
            agent.SendRtp(closingA, 0, (ushort)i, (uint)(i * 160), 0x5EED, RelayFixture.Payload(i));
        }

        // The loop reads the burst 4 by 4 while the call ends under it.
        closing.Dispose();
        int relayedBeforeClose = trunk.ReceiveMany(60, timeoutMs: 200).Count;
        Assert.InRange(relayedBeforeClose, 0, 60);

        for (int i = 0; i < 5; i++)
        {
            fixture.Agent.SendRtp(fixture.RelayA, 0, (ushort)i, (uint)(i * 160), 0xA9E17, RelayFixture.Payload(i));
            fixture.Trunk.SendRtp(fixture.RelayB, 0, (ushort)i, (uint)(i * 160), 0x7A0C, RelayFixture.Payload(i));
        }

        Assert.Equal(5, fixture.Trunk.ReceiveMany(5).Count);
        Assert.Equal(5, fixture.Agent.ReceiveMany(5).Count);
        Assert.Equal(0, fixture.Relay.Ports.Allocated - 2);
    }

    [Fact]
    public void ConnectedToTheLatchedPeerTheLegRelaysBothWaysAndRelatchesAfterAReInvite()
    {
        using var fixture = new RelayFixture(configure: false, tune: o => o with { ConnectLatchedPeers = true });
        RelaySession session = fixture.Session;
        session.Configure(RelayLegId.A, new RelayLegSettings { RemoteRtp = fixture.Agent.EndPoint });
        session.Configure(RelayLegId.B, new RelayLegSettings { RemoteRtp = fixture.Trunk.EndPoint });

        // Both legs latch (and connect) on their peer's first packet.
        fixture.Agent.SendRtp(fixture.RelayA, 0, 1, 0, 0xA9E17, RelayFixture.Payload(1));
        Assert.NotNull(fixture.Trunk.Receive());
        fixture.Trunk.SendRtp(fixture.RelayB, 0, 1, 0, 0x7A0C, RelayFixture.Payload(2));
        Assert.True(RtpPacket.TryParse(fixture.Agent.Receive(), out RtpPacket atAgent));
        Assert.Equal(RelayFixture.Payload(2), atAgent.Payload.ToArray());

        // Another port of the same host is not relayed (the kernel filters it: not counted).
        using var samehost = new UdpPeer();
        samehost.SendRtp(fixture.RelayA, 0, 2, 160, 0xBAD, RelayFixture.Payload(3));
        fixture.Agent.SendRtp(fixture.RelayA, 0, 3, 320, 0xA9E17, RelayFixture.Payload(4));
        Assert.True(RtpPacket.TryParse(fixture.Trunk.Receive(), out RtpPacket atTrunk));
        Assert.Equal(RelayFixture.Payload(4), atTrunk.Payload.ToArray());
        Assert.Null(fixture.Trunk.Receive(200));

        // A re-INVITE moves the agent: the leg is disconnected and latches onto the new peer.
        using var moved = new UdpPeer();
        session.Configure(RelayLegId.A, new RelayLegSettings { RemoteRtp = moved.EndPoint });
        moved.SendRtp(fixture.RelayA, 0, 4, 480, 0xA9E17, RelayFixture.Payload(5));
        Assert.True(RtpPacket.TryParse(fixture.Trunk.Receive(), out RtpPacket fromMoved));
        Assert.Equal(RelayFixture.Payload(5), fromMoved.Payload.ToArray());
        fixture.Trunk.SendRtp(fixture.RelayB, 0, 2, 160, 0x7A0C, RelayFixture.Payload(6));
        Assert.True(RtpPacket.TryParse(moved.Receive(), out RtpPacket atMoved));
        Assert.Equal(RelayFixture.Payload(6), atMoved.Payload.ToArray());
        Assert.Equal(0, session.LegA.Counters.SendErrors + session.LegB.Counters.SendErrors);
    }
}
