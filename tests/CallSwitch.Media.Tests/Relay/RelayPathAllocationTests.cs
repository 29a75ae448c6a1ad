using System.Net;
using CallSwitch.Media.Relay;
using CallSwitch.Media.Rtp;

namespace CallSwitch.Media.Tests.Relay;

public class RelayPathAllocationTests
{
    [Fact]
    public void RelayingAPacketAllocatesNothingOnceTheCallIsSetUp()
    {
        using var fixture = new RelayFixture();
        var recorder = new BoundedCopySink(8);
        fixture.Session.AddSink(RelayLegId.A, recorder);
        fixture.Session.AddSink(RelayLegId.B, new BoundedCopySink(8));
        fixture.Session.SetTranscoder(RelayLegId.A, PassThroughTranscoder.Instance);
        SocketAddress agent = fixture.Agent.EndPoint.Serialize();
        byte[] template = UdpPeer.Rtp(0, 0, 0, 0xA9E17, RelayFixture.Payload(0));
        byte[] buffer = new byte[2048];
        byte[] scratch = new byte[4096];
        byte[] drain = new byte[1500];

        void RelayOne(int i)
        {
            template.CopyTo(buffer, 0);
            Span<byte> packet = buffer.AsSpan(0, template.Length);
            RtpPacket.TryParse(packet, out RtpPacket view);
            view.SequenceNumber = (ushort)i;
            view.Timestamp = (uint)(i * 160);
            fixture.Session.OnRtp(fixture.Session.LegA, packet, agent, scratch);
            recorder.TryRead(drain, out _, out _);
        }

        RelayOne(0); // latches: the one allocation of the call's first packet
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 1; i <= 500; i++)
        {
            RelayOne(i);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(501, fixture.Session.LegB.Counters.PacketsOut);
    }

    [Fact]
    public void ObservingAndWithholdingTelephoneEventsAllocatesNothing()
    {
        using var fixture = new RelayFixture(configure: false);
        var observer = new AlternateObserver();
        fixture.Session.SetTelephoneEventObserver(observer);
        fixture.Session.Configure(RelayLegId.A, new RelayLegSettings { RemoteRtp = fixture.Agent.EndPoint, AudioPayloadType = 0, TelephoneEventPayloadType = 101 });
        fixture.Session.Configure(RelayLegId.B, new RelayLegSettings { RemoteRtp = fixture.Trunk.EndPoint, AudioPayloadType = 0, TelephoneEventPayloadType = 101 });
        SocketAddress agent = fixture.Agent.EndPoint.Serialize();
        byte[] template = UdpPeer.Rtp(101, 0, 0, 0xA9E17, [5, 10, 0, 160]);
        byte[] buffer = new byte[2048];
        byte[] scratch = new byte[4096];

        void RelayOne(int i)
        {
            template.CopyTo(buffer, 0);
            Span<byte> packet = buffer.AsSpan(0, template.Length);
            RtpPacket.TryParse(packet, out RtpPacket view);
            view.SequenceNumber = (ushort)i;
            fixture.Session.OnRtp(fixture.Session.LegA, packet, agent, scratch);
        }

        RelayOne(0);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 1; i <= 500; i++)
        {
            RelayOne(i);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(250, fixture.Session.LegA.Counters.TelephoneEventsWithheld);
        Assert.Equal(251, fixture.Session.LegB.Counters.PacketsOut);
    }

    [Theory]
    [InlineData(RelaySocketModel.Epoll)]
    [InlineData(RelaySocketModel.PollingThreads)]
    public void SessionsComeAndGoWhileOthersRelay(RelaySocketModel model)
    {
        using var fixture = new RelayFixture(model);
        for (int round = 0; round < 20; round++)
        {
            using RelaySession churn = fixture.Relay.CreateSession(IPAddress.Loopback, IPAddress.Loopback);
            churn.Configure(RelayLegId.A, new RelayLegSettings { RemoteRtp = fixture.Agent.EndPoint });
            fixture.Agent.SendRtp(fixture.RelayA, 0, (ushort)round, (uint)(round * 160), 0xA9E17, RelayFixture.Payload(round));
            Assert.NotNull(fixture.Trunk.Receive());
        }

        Assert.Equal(2, fixture.Relay.Ports.Allocated);
    }

    /// <summary>Withholds every other telephone-event packet.</summary>
    private sealed class AlternateObserver : ITelephoneEventObserver
    {
        private int _count;

        public bool OnTelephoneEvent(RelayLegId leg, uint rtpTimestamp, ReadOnlySpan<byte> payload) => _count++ % 2 == 0;
    }
}
