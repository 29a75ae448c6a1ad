using System.Net;
using CallSwitch.Media.Announcements;
using CallSwitch.Media.Codecs;
using CallSwitch.Media.Mixing;
using CallSwitch.Media.Relay;
using CallSwitch.Media.Tests.Relay;

namespace CallSwitch.Media.Tests.Mixing;

public class MixerAllocationTests
{
    [Fact]
    public void DecodingMixingAndSendingAllocateNothingOnceTheSupervisorsAreOn()
    {
        using var fixture = new RelayFixture();
        using var mixer = new SupervisionMixer(fixture.Session, new MixFormat(AudioCodecInfo.Pcmu, 0), new MixFormat(AudioCodecInfo.Pcmu, 0));
        var narrow = new CountingOutlet();
        var wide = new CountingOutlet();
        MixSupervisor barging = mixer.AddSupervisor(new MixFormat(AudioCodecInfo.G722, 9), wide, SupervisionMode.Barge);
        MixSupervisor whispering = mixer.AddSupervisor(new MixFormat(AudioCodecInfo.Pcma, 8), narrow, SupervisionMode.Whisper);
        mixer.AddListenSink(new CountingFeed());
        SocketAddress agent = fixture.Agent.EndPoint.Serialize();
        SocketAddress trunk = fixture.Trunk.EndPoint.Serialize();
        byte[] legTemplate = UdpPeer.Rtp(0, 0, 0, 0xA9E17, RelayFixture.Payload(0));
        byte[] wideTemplate = UdpPeer.Rtp(9, 0, 0, 0x5E1, RelayFixture.Payload(3));
        byte[] narrowTemplate = UdpPeer.Rtp(8, 0, 0, 0x5E2, RelayFixture.Payload(7));
        byte[] buffer = new byte[2048];
        byte[] scratch = new byte[4096];

        void Tick(long i)
        {
            legTemplate.CopyTo(buffer, 0);
            fixture.Session.OnRtp(fixture.Session.LegA, buffer.AsSpan(0, legTemplate.Length), agent, scratch);
            legTemplate.CopyTo(buffer, 0);
            fixture.Session.OnRtp(fixture.Session.LegB, buffer.AsSpan(0, legTemplate.Length), trunk, scratch);
            barging.Input.OnPacket(wideTemplate, MediaDirection.Received);
            whispering.Input.OnPacket(narrowTemplate, MediaDirection.Received);
            mixer.OnTick(new MediaTick(i, TimeSpan.FromMilliseconds(20 * i), TimeSpan.Zero));
        }

        // The first ticks latch both legs (the one allocation of each leg's first packet) and take
        // every first-time path (CI once counted 56 B over a measurement that began at tick 2):
        // the steady state is what must allocate nothing.
        for (int i = 1; i <= 50; i++)
        {
            Tick(i);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 51; i <= 500; i++)
        {
            Tick(i);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(500, wide.Sent);
        Assert.Equal(500, narrow.Sent);
        Assert.Equal(0, mixer.Faults);
    }

    private sealed class CountingOutlet : IMixOutlet
    {
        public int Sent { get; private set; }

        public bool Send(Span<byte> rtpPacket)
        {
            Sent++;
            return rtpPacket.Length > 12;
        }
    }

    private sealed class CountingFeed : IPcmFrameSink
    {
        public long Frames { get; private set; }

        public void OnFrame(ReadOnlySpan<short> pcm, long tickIndex) => Frames++;
    }
}
