using System.Net;
using CallSwitch.Media.Relay;
using CallSwitch.Media.Rtp;

namespace CallSwitch.Media.Tests.Relay;

public class RelayEndpointTests
{
    [Fact]
    public void ThePeersAudioReachesTheSinkItsKeysTheObserverAndWhatIsSentReachesThePeerAsOneStream()
    {
        using var fixture = new RelayFixture(configure: false);
        using RelayEndpoint endpoint = fixture.Relay.CreateEndpoint();
        using var peer = new UdpPeer();
        var sink = new BoundedCopySink(16);
        var keys = new KeyLog();
        endpoint.SetSink(sink);
        endpoint.SetTelephoneEventObserver(keys);
        endpoint.Configure(new RelayLegSettings { RemoteRtp = peer.EndPoint, AudioPayloadType = 9, TelephoneEventPayloadType = 101 });

        peer.SendRtp(endpoint.LocalRtpEndPoint, 9, 1, 160, 0xC0FFEE, RelayFixture.Payload(1));
        peer.SendRtp(endpoint.LocalRtpEndPoint, 101, 2, 320, 0xC0FFEE, [2, 0x8A, 0, 160]);
        RelayFixture.WaitFor(() => keys.Events.Count == 1 && sink.Count == 1);

        byte[] copy = new byte[2048];
        Assert.True(sink.TryRead(copy, out int length, out MediaDirection direction));
        Assert.Equal(MediaDirection.Received, direction);
        Assert.Equal(UdpPeer.Rtp(9, 1, 160, 0xC0FFEE, RelayFixture.Payload(1)), copy[..length]);
        Assert.Equal((320u, (byte)2), keys.Events.Single());

        for (int i = 0; i < 3; i++)
        {
            byte[] packet = UdpPeer.Rtp(9, (ushort)(7 + i), (uint)(1000 + (160 * i)), 0xAB, RelayFixture.Payload(i));
            Assert.True(endpoint.Send(packet));
        }

        List<byte[]> received = peer.ReceiveMany(3);
        Assert.Equal(3, received.Count);
        var headers = received.Select(p =>
        {
            Assert.True(RtpPacket.TryParse(p, out RtpPacket rtp));
            return (rtp.Ssrc, rtp.SequenceNumber, rtp.PayloadType);
        }).ToList();
        Assert.Single(headers.Select(h => h.Ssrc).Distinct());
        Assert.NotEqual(0xABu, headers[0].Ssrc);
        Assert.Equal((ushort)(headers[0].SequenceNumber + 2), headers[2].SequenceNumber);
        Assert.Equal(3, endpoint.Counters.PacketsOut);
        Assert.Equal(2, endpoint.Counters.PacketsIn);
    }

    [Fact]
    public void NothingIsSentBeforeThePeerIsKnownAndStrangersAreNotHeard()
    {
        using var fixture = new RelayFixture(configure: false);
        using RelayEndpoint endpoint = fixture.Relay.CreateEndpoint();
        using var peer = new UdpPeer();
        using var stranger = new UdpPeer("127.0.0.2");
        var sink = new BoundedCopySink(16);
        endpoint.SetSink(sink);
        Assert.False(endpoint.Send(UdpPeer.Rtp(0, 1, 1, 1, RelayFixture.Payload(0))));

        endpoint.Configure(new RelayLegSettings { RemoteRtp = peer.EndPoint });
        stranger.SendRtp(endpoint.LocalRtpEndPoint, 0, 1, 160, 0xBAD, RelayFixture.Payload(1));
        RelayFixture.WaitFor(() => endpoint.Counters.DroppedUnexpectedSource == 1);
        Assert.Equal(0, sink.Count);
    }

    private sealed class KeyLog : ITelephoneEventObserver
    {
        public List<(uint Timestamp, byte Event)> Events { get; } = [];

        public bool OnTelephoneEvent(RelayLegId leg, uint rtpTimestamp, ReadOnlySpan<byte> payload)
        {
            lock (Events)
            {
                Events.Add((rtpTimestamp, payload[0]));
            }

            return true;
        }
    }
}
