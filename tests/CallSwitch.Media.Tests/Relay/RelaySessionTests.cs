using System.Net;
using CallSwitch.Media.Relay;
using CallSwitch.Media.Rtp;
using Microsoft.Extensions.Time.Testing;

namespace CallSwitch.Media.Tests.Relay;

public class RelaySessionTests
{
    [Theory]
    [InlineData(RelaySocketModel.PollingThreads)]
    [InlineData(RelaySocketModel.Epoll)]
    public void RelaysFiftyPacketsEachWayAsOneContinuousStreamOfOurs(RelaySocketModel model)
    {
        using var fixture = new RelayFixture(model);
        for (int i = 0; i < 50; i++)
        {
            fixture.Agent.SendRtp(fixture.RelayA, 0, (ushort)(65500 + i), (uint)(i * 160), 0xA9E17, RelayFixture.Payload(i));
            fixture.Trunk.SendRtp(fixture.RelayB, 0, (ushort)(1000 + i), (uint)(900_000 + (i * 160)), 0x7A0C, RelayFixture.Payload(100 + i));
        }

        List<byte[]> atTrunk = fixture.Trunk.ReceiveMany(50);
        List<byte[]> atAgent = fixture.Agent.ReceiveMany(50);
        AssertContinuous(atTrunk, fixture.Session.LegB.OutboundSsrc, 0);
        AssertContinuous(atAgent, fixture.Session.LegA.OutboundSsrc, 100);

        RelayFixture.WaitFor(() => fixture.Session.LegB.Counters.PacketsOut == 50 && fixture.Session.LegA.Counters.PacketsOut == 50);
        RelayLegCounters a = fixture.Session.LegA.Counters;
        Assert.Equal((50L, 50L * 172, 50L, 50L * 172), (a.PacketsIn, a.BytesIn, a.PacketsOut, a.BytesOut));
        Assert.NotEqual(0, a.LastPacketAt);
        Assert.Equal(0xA9E17u, fixture.Session.LegA.InboundSsrc);
    }

    private static void AssertContinuous(List<byte[]> packets, uint ssrc, int firstPayload)
    {
        Assert.Equal(50, packets.Count);
        // Loopback UDP keeps order; the relay handles one socket on one thread at a time.
        for (int i = 0; i < packets.Count; i++)
        {
            Assert.True(RtpPacket.TryParse(packets[i], out RtpPacket packet));
            Assert.Equal(ssrc, packet.Ssrc);
            Assert.Equal(RelayFixture.Payload(firstPayload + i), packet.Payload.ToArray());
            Assert.True(RtpPacket.TryParse(packets[0], out RtpPacket first));
            Assert.Equal((ushort)(first.SequenceNumber + i), packet.SequenceNumber);
            Assert.Equal(first.Timestamp + (uint)(i * 160), packet.Timestamp);
            Assert.Equal(i == 0, packet.Marker);
        }
    }

    [Fact]
    public void DropsAndCountsPacketsFromAnUnexpectedSource()
    {
        using var fixture = new RelayFixture();
        using var intruder = new UdpPeer("127.0.0.2");

        // Before latching: another IP than the SDP's is refused (strict policy).
        intruder.SendRtp(fixture.RelayB, 0, 1, 0, 0xBAD, RelayFixture.Payload(0));
        RelayFixture.WaitFor(() => fixture.Session.LegB.Counters.DroppedUnexpectedSource == 1);

        fixture.Trunk.SendRtp(fixture.RelayB, 0, 1, 0, 0x7A0C, RelayFixture.Payload(1));
        Assert.NotNull(fixture.Agent.Receive());

        // After latching: even the same IP from another port is refused.
        using var samehost = new UdpPeer();
        samehost.SendRtp(fixture.RelayB, 0, 2, 160, 0xBAD, RelayFixture.Payload(2));
        intruder.SendRtp(fixture.RelayB, 0, 3, 320, 0xBAD, RelayFixture.Payload(3));
        RelayFixture.WaitFor(() => fixture.Session.LegB.Counters.DroppedUnexpectedSource == 3);
        Assert.Null(fixture.Agent.Receive(200));
        Assert.Equal(1, fixture.Session.LegB.Counters.PacketsIn);
    }

    [Fact]
    public void LatchesToTheNattedPortOfTheSdpAddress()
    {
        using var fixture = new RelayFixture(configure: false);
        // The trunk's SDP names a port nobody listens on; its packets come from another one.
        var sdpAddress = new IPEndPoint(IPAddress.Loopback, fixture.Trunk.EndPoint.Port == 40000 ? 40002 : 40000);
        fixture.Session.Configure(RelayLegId.A, new RelayLegSettings { RemoteRtp = fixture.Agent.EndPoint });
        fixture.Session.Configure(RelayLegId.B, new RelayLegSettings { RemoteRtp = sdpAddress });

        fixture.Trunk.SendRtp(fixture.RelayB, 0, 10, 0, 0x7A0C, RelayFixture.Payload(0));
        Assert.NotNull(fixture.Agent.Receive());
        fixture.Agent.SendRtp(fixture.RelayA, 0, 20, 0, 0xA9E17, RelayFixture.Payload(1));
        byte[]? atTrunk = fixture.Trunk.Receive();
        Assert.NotNull(atTrunk);
        Assert.True(RtpPacket.TryParse(atTrunk, out RtpPacket packet));
        Assert.Equal(RelayFixture.Payload(1), packet.Payload.ToArray());
    }

    [Fact]
    public void LatchAnyPolicyAcceptsAnySourceOnlyWithinTheWindow()
    {
        var time = new FakeTimeProvider();
        using var fixture = new RelayFixture(time: time, configure: false);
        var privateAddress = new IPEndPoint(IPAddress.Parse("10.11.12.13"), 4000);
        var settings = new RelayLegSettings { RemoteRtp = privateAddress, Latch = LatchPolicy.AnySourceWithinWindow, LatchAnyWindow = TimeSpan.FromSeconds(3) };
        fixture.Session.Configure(RelayLegId.A, new RelayLegSettings { RemoteRtp = fixture.Agent.EndPoint });
        fixture.Session.Configure(RelayLegId.B, settings);

        time.Advance(TimeSpan.FromSeconds(4));
        fixture.Trunk.SendRtp(fixture.RelayB, 0, 1, 0, 0x7A0C, RelayFixture.Payload(0));
        RelayFixture.WaitFor(() => fixture.Session.LegB.Counters.DroppedUnexpectedSource == 1);

        // A re-INVITE re-arms the window.
        fixture.Session.Configure(RelayLegId.B, settings with { RemoteRtp = new IPEndPoint(privateAddress.Address, 4002) });
        fixture.Trunk.SendRtp(fixture.RelayB, 0, 2, 160, 0x7A0C, RelayFixture.Payload(1));
        Assert.NotNull(fixture.Agent.Receive());
        fixture.Agent.SendRtp(fixture.RelayA, 0, 1, 0, 0xA9E17, RelayFixture.Payload(2));
        Assert.NotNull(fixture.Trunk.Receive());
    }

    [Fact]
    public void SinksGetCopiesAndASlowSinkDropsWithoutSlowingTheRelay()
    {
        using var fixture = new RelayFixture();
        var recorder = new BoundedCopySink(256);
        var stuck = new BoundedCopySink(4); // never drained: a consumer that cannot keep up
        fixture.Session.AddSink(RelayLegId.A, recorder);
        fixture.Session.AddSink(RelayLegId.B, stuck);
        fixture.Session.AddSink(RelayLegId.B, new ThrowingSink());

        for (int i = 0; i < 50; i++)
        {
            fixture.Agent.SendRtp(fixture.RelayA, 0, (ushort)i, (uint)(i * 160), 0xA9E17, RelayFixture.Payload(i));
        }

        Assert.Equal(50, fixture.Trunk.ReceiveMany(50).Count);
        RelayFixture.WaitFor(() => recorder.Accepted == 50 && stuck.Accepted + stuck.Dropped == 50);
        Assert.Equal((4L, 46L), (stuck.Accepted, stuck.Dropped));
        Assert.Equal(50, fixture.Session.LegB.Counters.SinkFaults);

        byte[] copy = new byte[1500];
        for (int i = 0; i < 50; i++)
        {
            Assert.True(recorder.TryRead(copy, out int length, out MediaDirection direction));
            Assert.Equal(MediaDirection.Received, direction);
            Assert.True(RtpPacket.TryParse(copy.AsSpan(0, length), out RtpPacket packet));
            Assert.Equal(0xA9E17u, packet.Ssrc); // as it arrived from the agent
            Assert.Equal(RelayFixture.Payload(i), packet.Payload.ToArray());
        }

        fixture.Session.RemoveSink(RelayLegId.A, recorder);
        fixture.Agent.SendRtp(fixture.RelayA, 0, 50, 8000, 0xA9E17, RelayFixture.Payload(50));
        Assert.NotNull(fixture.Trunk.Receive());
        Assert.Equal(50, recorder.Accepted);
    }

    [Fact]
    public void RelaysRtcpWithSsrcsOfTheRewrittenStreams()
    {
        using var fixture = new RelayFixture(configure: false);
        using var trunkRtcp = new UdpPeer();
        using var agentRtcp = new UdpPeer();
        fixture.Session.Configure(RelayLegId.A, new RelayLegSettings { RemoteRtp = fixture.Agent.EndPoint, RemoteRtcp = agentRtcp.EndPoint });
        fixture.Session.Configure(RelayLegId.B, new RelayLegSettings { RemoteRtp = fixture.Trunk.EndPoint, RemoteRtcp = trunkRtcp.EndPoint });

        // Streams first, so that the relay knows the SSRCs and timestamp offsets.
        fixture.Trunk.SendRtp(fixture.RelayB, 0, 1, 5000, 0x7A0C, RelayFixture.Payload(0));
        Assert.NotNull(fixture.Agent.Receive());
        fixture.Agent.SendRtp(fixture.RelayA, 0, 1, 1000, 0xA9E17, RelayFixture.Payload(0));
        byte[]? rtp = fixture.Trunk.Receive();
        Assert.NotNull(rtp);
        Assert.True(RtpPacket.TryParse(rtp, out RtpPacket relayed));

        // The agent reports as a sender (about its stream 0xA9E17) and on what it receives from us.
        byte[] report = Rtp.RtcpPacketTests.SenderReportWithSdes(0xA9E17, fixture.Session.LegA.OutboundSsrc, 1000);
        agentRtcp.Send(report, RelayFixture.Rtcp(fixture.RelayA));
        byte[]? atTrunk = trunkRtcp.Receive();
        Assert.NotNull(atTrunk);
        Assert.Equal(report.Length, atTrunk.Length);

        int offset = 0;
        Assert.True(RtcpPacket.TryReadNext(atTrunk, ref offset, out RtcpPacket sr));
        Assert.Equal(fixture.Session.LegB.OutboundSsrc, sr.SenderSsrc);
        Assert.Equal(0x7A0Cu, sr.GetReportBlockSsrc(0));
        Assert.Equal(relayed.Timestamp, sr.SenderReportRtpTimestamp); // same instant as RTP ts 1000
        Assert.True(RtcpPacket.TryReadNext(atTrunk, ref offset, out RtcpPacket sdes));
        Assert.Equal(fixture.Session.LegB.OutboundSsrc, sdes.SenderSsrc);
        RelayFixture.WaitFor(() => fixture.Session.LegB.Counters.RtcpPacketsOut == 1);
        Assert.Equal(1, fixture.Session.LegA.Counters.RtcpPacketsIn);

        // Garbage on the RTCP port is counted, not relayed.
        agentRtcp.Send([0x80, 200, 0, 9], RelayFixture.Rtcp(fixture.RelayA));
        RelayFixture.WaitFor(() => fixture.Session.LegA.Counters.DroppedMalformed == 1);
    }

    [Fact]
    public void AnnouncementThenAgentAudioIsOneStreamForTheTrunk()
    {
        var time = new FakeTimeProvider();
        using var fixture = new RelayFixture(time: time);
        fixture.Session.SetForwarding(RelayLegId.A, false);

        // The announcement player injects 10 packets towards the trunk, with its own numbering.
        byte[] buffer = new byte[172];
        for (int i = 0; i < 10; i++)
        {
            UdpPeer.Rtp(0, (ushort)(7 + i), (uint)(i * 160), 0xA22, RelayFixture.Payload(i)).CopyTo(buffer, 0);
            Assert.True(fixture.Session.Inject(RelayLegId.B, buffer, sourceId: 1));
            time.Advance(TimeSpan.FromMilliseconds(20));
        }

        // The agent talks while the announcement plays: not relayed, counted.
        fixture.Agent.SendRtp(fixture.RelayA, 0, 500, 0, 0xA9E17, RelayFixture.Payload(99));
        RelayFixture.WaitFor(() => fixture.Session.LegA.Counters.DroppedPaused == 1);

        time.Advance(TimeSpan.FromMilliseconds(80)); // 100 ms after the last announcement packet
        fixture.Session.SetForwarding(RelayLegId.A, true);
        for (int i = 0; i < 5; i++)
        {
            fixture.Agent.SendRtp(fixture.RelayA, 0, (ushort)(501 + i), (uint)(160 + (i * 160)), 0xA9E17, RelayFixture.Payload(10 + i));
        }

        List<byte[]> atTrunk = fixture.Trunk.ReceiveMany(15);
        Assert.Equal(15, atTrunk.Count);
        Assert.True(RtpPacket.TryParse(atTrunk[0], out RtpPacket first));
        for (int i = 0; i < atTrunk.Count; i++)
        {
            Assert.True(RtpPacket.TryParse(atTrunk[i], out RtpPacket packet));
            Assert.Equal(fixture.Session.LegB.OutboundSsrc, packet.Ssrc);
            Assert.Equal((ushort)(first.SequenceNumber + i), packet.SequenceNumber);
            Assert.Equal(i is 0 or 10, packet.Marker);
            Assert.Equal(RelayFixture.Payload(i), packet.Payload.ToArray());
            uint expected = i < 10 ? first.Timestamp + (uint)(i * 160) : first.Timestamp + (9 * 160) + 800 + (uint)((i - 10) * 160);
            Assert.Equal(expected, packet.Timestamp);
        }

        RelayFixture.WaitFor(() => fixture.Session.LegB.Counters.PacketsOut == 15);
    }

    [Fact]
    public void TelephoneEventsPassUnchangedWithTheOtherLegsPayloadTypeAndAreObserved()
    {
        using var fixture = new RelayFixture(configure: false);
        var observer = new EventLog();
        fixture.Session.SetTelephoneEventObserver(observer);
        fixture.Session.Configure(RelayLegId.A, new RelayLegSettings { RemoteRtp = fixture.Agent.EndPoint, AudioPayloadType = 0, TelephoneEventPayloadType = 101 });
        fixture.Session.Configure(RelayLegId.B, new RelayLegSettings { RemoteRtp = fixture.Trunk.EndPoint, AudioPayloadType = 0, TelephoneEventPayloadType = 96 });

        byte[] digit = [5, 0x80 | 10, 0x03, 0x20];
        fixture.Agent.SendRtp(fixture.RelayA, 101, 1, 8000, 0xA9E17, digit, marker: true);
        byte[]? atTrunk = fixture.Trunk.Receive();
        Assert.NotNull(atTrunk);
        Assert.True(RtpPacket.TryParse(atTrunk, out RtpPacket packet));
        Assert.Equal(96, packet.PayloadType);
        Assert.Equal(digit, packet.Payload.ToArray());
        RelayFixture.WaitFor(() => observer.Events.Count == 1);
        Assert.Equal((RelayLegId.A, 8000u, new CallSwitch.Media.Dtmf.TelephoneEvent(5, true, 10, 800)), observer.Events.Single());
        Assert.Equal(1, fixture.Session.LegA.Counters.TelephoneEvents);
    }

    [Fact]
    public void ATelephoneEventTheObserverWithholdsIsNotRelayedButAudioAfterItIs()
    {
        using var fixture = new RelayFixture(configure: false);
        var observer = new EventLog { Relay = false };
        fixture.Session.SetTelephoneEventObserver(observer);
        fixture.Session.Configure(RelayLegId.A, new RelayLegSettings { RemoteRtp = fixture.Agent.EndPoint, AudioPayloadType = 0, TelephoneEventPayloadType = 101 });
        fixture.Session.Configure(RelayLegId.B, new RelayLegSettings { RemoteRtp = fixture.Trunk.EndPoint, AudioPayloadType = 0, TelephoneEventPayloadType = 96 });

        fixture.Agent.SendRtp(fixture.RelayA, 0, 1, 7840, 0xA9E17, RelayFixture.Payload(1));
        Assert.True(RtpPacket.TryParse(fixture.Trunk.Receive(), out RtpPacket before));
        fixture.Agent.SendRtp(fixture.RelayA, 101, 2, 8000, 0xA9E17, [5, 10, 0x00, 0xA0], marker: true);
        fixture.Agent.SendRtp(fixture.RelayA, 101, 3, 8000, 0xA9E17, [5, 0x80 | 10, 0x01, 0x40]);
        fixture.Agent.SendRtp(fixture.RelayA, 0, 4, 8320, 0xA9E17, RelayFixture.Payload(4));

        // The next thing the trunk gets is the audio that followed the withheld key, numbered on
        // from the audio before it: a pause in the stream, not two lost packets.
        byte[]? atTrunk = fixture.Trunk.Receive();
        Assert.NotNull(atTrunk);
        Assert.True(RtpPacket.TryParse(atTrunk, out RtpPacket packet));
        Assert.Equal(0, packet.PayloadType);
        Assert.Equal(RelayFixture.Payload(4), packet.Payload.ToArray());
        Assert.Equal((ushort)(before.SequenceNumber + 1), packet.SequenceNumber);
        Assert.Equal(before.Timestamp + 480, packet.Timestamp);
        Assert.Equal(2, observer.Events.Count);
        RelayLegCounters counters = fixture.Session.LegA.Counters;
        Assert.Equal(2, counters.TelephoneEvents);
        Assert.Equal(2, counters.TelephoneEventsWithheld);

        // Counted just after the send, so possibly after the trunk has it.
        RelayFixture.WaitFor(() => fixture.Session.LegB.Counters.PacketsOut == 2);
    }

    [Fact]
    public void CallsTheTranscoderWhenTheLegsUseDifferentCodecs()
    {
        using var fixture = new RelayFixture(configure: false);
        fixture.Session.Configure(RelayLegId.A, new RelayLegSettings { RemoteRtp = fixture.Agent.EndPoint, AudioPayloadType = 0 });
        fixture.Session.Configure(RelayLegId.B, new RelayLegSettings { RemoteRtp = fixture.Trunk.EndPoint, AudioPayloadType = 8 });
        fixture.Session.SetTranscoder(RelayLegId.A, new InvertingTranscoder());

        fixture.Agent.SendRtp(fixture.RelayA, 0, 1, 0, 0xA9E17, RelayFixture.Payload(3));
        byte[]? atTrunk = fixture.Trunk.Receive();
        Assert.NotNull(atTrunk);
        Assert.True(RtpPacket.TryParse(atTrunk, out RtpPacket packet));
        Assert.Equal(8, packet.PayloadType);
        Assert.Equal(RelayFixture.Payload(3).Select(b => (byte)~b).ToArray(), packet.Payload.ToArray());

        // Without a transcoder only the payload type is mapped (same codec, other number).
        fixture.Session.SetTranscoder(RelayLegId.A, null);
        fixture.Agent.SendRtp(fixture.RelayA, 0, 2, 160, 0xA9E17, RelayFixture.Payload(4));
        Assert.True(RtpPacket.TryParse(fixture.Trunk.Receive(), out packet));
        Assert.Equal(8, packet.PayloadType);
        Assert.Equal(RelayFixture.Payload(4), packet.Payload.ToArray());
    }

    [Fact]
    public void CountsMalformedPackets()
    {
        using var fixture = new RelayFixture();
        fixture.Agent.Send([0x40, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1], fixture.RelayA); // version 1
        fixture.Agent.Send([0x80, 200, 0, 6, 0, 0, 0, 1, 0, 0, 0, 0], fixture.RelayA); // RTCP on the RTP port
        RelayFixture.WaitFor(() => fixture.Session.LegA.Counters.DroppedMalformed == 2);
        Assert.Equal(0, fixture.Session.LegA.Counters.PacketsIn);
    }

    [Fact]
    public void SilenceDurationRunsFromTheLastPacketOrFromCreation()
    {
        var time = new FakeTimeProvider();
        using var fixture = new RelayFixture(time: time);
        time.Advance(TimeSpan.FromSeconds(7));
        Assert.Equal(TimeSpan.FromSeconds(7), fixture.Session.LegA.SilenceDuration);

        fixture.Agent.SendRtp(fixture.RelayA, 0, 1, 0, 0xA9E17, RelayFixture.Payload(0));
        Assert.NotNull(fixture.Trunk.Receive());
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(TimeSpan.FromSeconds(2), fixture.Session.LegA.SilenceDuration);
        Assert.Equal(TimeSpan.FromSeconds(9), fixture.Session.LegB.SilenceDuration);
    }

    [Fact]
    public void AFaultyTranscoderLosesItsPacketButNotTheReceiveLoop()
    {
        using var fixture = new RelayFixture();
        fixture.Session.SetTranscoder(RelayLegId.A, new ThrowingTranscoder());
        fixture.Agent.SendRtp(fixture.RelayA, 0, 1, 0, 0xA9E17, RelayFixture.Payload(0));
        RelayFixture.WaitFor(() => fixture.Session.LegA.Counters.DroppedMalformed == 1);

        fixture.Session.SetTranscoder(RelayLegId.A, null);
        fixture.Agent.SendRtp(fixture.RelayA, 0, 2, 160, 0xA9E17, RelayFixture.Payload(1));
        Assert.NotNull(fixture.Trunk.Receive());
    }

    [Theory]
    [InlineData(128, -1, 8000)]
    [InlineData(-1, -1, 8000)]
    [InlineData(0, 128, 8000)]
    [InlineData(0, -2, 8000)]
    [InlineData(0, 101, 0)]
    public void RefusesImpossibleSettings(int audio, int telephoneEvent, int clockRate)
    {
        using var fixture = new RelayFixture(configure: false);
        var settings = new RelayLegSettings { AudioPayloadType = audio, TelephoneEventPayloadType = telephoneEvent, ClockRate = clockRate };
        Assert.Throws<ArgumentOutOfRangeException>(() => fixture.Session.Configure(RelayLegId.A, settings));
    }

    [Theory]
    [InlineData(RelaySocketModel.Epoll)]
    [InlineData(RelaySocketModel.PollingThreads)]
    public void RelaysOverIpv6AndLatchesOnTheIpv6Address(RelaySocketModel model)
    {
        using var fixture = new RelayFixture(model, configure: false);
        using RelaySession session = fixture.Relay.CreateSession(IPAddress.IPv6Loopback, IPAddress.IPv6Loopback);
        using var agent = new UdpPeer("::1");
        using var trunk = new UdpPeer("::1");
        // The agent's SDP names another port on the same address: a NAT rewrote it.
        session.Configure(RelayLegId.A, new RelayLegSettings { RemoteRtp = new IPEndPoint(IPAddress.IPv6Loopback, 9) });
        session.Configure(RelayLegId.B, new RelayLegSettings { RemoteRtp = trunk.EndPoint });

        agent.SendRtp(session.LegA.LocalRtpEndPoint, 0, 1, 0, 0xA9E17, RelayFixture.Payload(0));
        Assert.True(RtpPacket.TryParse(trunk.Receive(), out RtpPacket atTrunk));
        Assert.Equal(session.LegB.OutboundSsrc, atTrunk.Ssrc);
        trunk.SendRtp(session.LegB.LocalRtpEndPoint, 0, 1, 0, 0x7A0C, RelayFixture.Payload(1));
        Assert.True(RtpPacket.TryParse(agent.Receive(), out RtpPacket atAgent));
        Assert.Equal(RelayFixture.Payload(1), atAgent.Payload.ToArray());

        using var intruder = new UdpPeer("::1");
        intruder.SendRtp(session.LegA.LocalRtpEndPoint, 0, 2, 160, 0xBAD, RelayFixture.Payload(2));
        RelayFixture.WaitFor(() => session.LegA.Counters.DroppedUnexpectedSource == 1);
    }

    [Fact]
    public void DisposeFreesThePorts()
    {
        var fixture = new RelayFixture();
        Assert.Equal(2, fixture.Relay.Ports.Allocated);
        fixture.Dispose();
        Assert.Equal(0, fixture.Relay.Ports.Allocated);
    }

    private sealed class EventLog : ITelephoneEventObserver
    {
        public System.Collections.Concurrent.ConcurrentQueue<(RelayLegId, uint, CallSwitch.Media.Dtmf.TelephoneEvent)> Events { get; } = new();

        /// <summary>What the observer answers: relay (true) or withhold.</summary>
        public bool Relay { get; set; } = true;

        public bool OnTelephoneEvent(RelayLegId leg, uint rtpTimestamp, ReadOnlySpan<byte> payload)
        {
            Assert.True(CallSwitch.Media.Dtmf.TelephoneEvent.TryParse(payload, out var telephoneEvent));
            Events.Enqueue((leg, rtpTimestamp, telephoneEvent));
            return Relay;
        }
    }

    private sealed class InvertingTranscoder : IPayloadTranscoder
    {
        public int GetMaxOutputLength(int inputLength) => inputLength;

        public int Transcode(ReadOnlySpan<byte> inputPayload, Span<byte> outputPayload)
        {
            for (int i = 0; i < inputPayload.Length; i++)
            {
                outputPayload[i] = (byte)~inputPayload[i];
            }

            return inputPayload.Length;
        }
    }

    private sealed class ThrowingTranscoder : IPayloadTranscoder
    {
        public int GetMaxOutputLength(int inputLength) => inputLength;

        public int Transcode(ReadOnlySpan<byte> inputPayload, Span<byte> outputPayload) => throw new InvalidOperationException("broken codec");
    }

    private sealed class ThrowingSink : IMediaSink
    {
        public void OnPacket(ReadOnlySpan<byte> rtpPacket, MediaDirection direction) => throw new InvalidOperationException("broken sink");
    }
}
