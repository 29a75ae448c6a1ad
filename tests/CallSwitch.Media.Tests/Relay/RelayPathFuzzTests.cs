using System.Buffers.Binary;
using System.Net;
using CallSwitch.Media.Relay;
using CallSwitch.Media.Rtp;
using CallSwitch.Media.Tests.Rtp;

namespace CallSwitch.Media.Tests.Relay;

/// <summary>
/// Mutation fuzzing of the relay's packet path, as a hostile or broken peer reaches it: from
/// valid RTP (with CSRCs, a header extension, padding, a telephone event) and RTCP compounds,
/// thousands of seeded mutants (truncations, bit flips, version and length fields rewritten,
/// random bytes). The path rewrites in place: it must never throw, never write outside the
/// datagram, count every RTP datagram exactly once (relayed, malformed or from an unexpected
/// source), and send only what is RTP with our stream's SSRC or a valid RTCP compound.
/// </summary>
public sealed class RelayPathFuzzTests
{
    private const int Mutants = 20_000;
    private const byte Canary = 0xC5;

    [Fact]
    public void MutatedRtpNeverThrowsStaysInsideTheDatagramAndIsCountedOnce()
    {
        using var fixture = new RelayFixture();
        var sender = new CheckingSender();
        SocketAddress agent = fixture.Agent.EndPoint.Serialize();
        byte[][] seeds = RtpSeeds();
        var random = new Random(8122026);
        byte[] buffer = new byte[4096];
        byte[] scratch = new byte[4096];
        int fed = 0;
        for (int i = 0; i < Mutants; i++)
        {
            byte[] mutant = Mutate(random, seeds[random.Next(seeds.Length)], rtcp: false);
            Span<byte> datagram = Place(buffer, mutant, offset: 64);
            fixture.Session.OnRtp(fixture.Session.LegA, datagram, agent, scratch, sender);
            fed++;
            AssertCanaryIntact(buffer, 64, mutant.Length);
        }

        RelayLegCounters a = fixture.Session.LegA.Counters;
        Assert.Equal(fed, a.PacketsIn + a.DroppedMalformed + a.DroppedUnexpectedSource);
        Assert.Equal(a.PacketsIn, sender.RtpSent + fixture.Session.LegB.Counters.DroppedContended);
        Assert.Equal(fixture.Session.LegB.OutboundSsrc, sender.OnlySsrc);
        Assert.True(a.PacketsIn > Mutants / 10 && a.DroppedMalformed > Mutants / 10, $"{a.PacketsIn} relayed, {a.DroppedMalformed} malformed");
    }

    [Fact]
    public void MutatedRtcpNeverThrowsStaysInsideTheDatagramAndOnlyValidCompoundsAreSent()
    {
        using var fixture = new RelayFixture();
        var sender = new CheckingSender();
        SocketAddress agent = new IPEndPoint(fixture.Agent.EndPoint.Address, fixture.Agent.EndPoint.Port + 1).Serialize();
        byte[][] seeds = RtcpSeeds();
        var random = new Random(20261208);
        byte[] buffer = new byte[4096];
        for (int i = 0; i < Mutants; i++)
        {
            byte[] mutant = Mutate(random, seeds[random.Next(seeds.Length)], rtcp: true);
            Span<byte> datagram = Place(buffer, mutant, offset: 64);
            fixture.Session.OnRtcp(fixture.Session.LegA, datagram, agent, 0, sender);
            AssertCanaryIntact(buffer, 64, mutant.Length);
        }

        RelayLegCounters a = fixture.Session.LegA.Counters;
        Assert.Equal(a.RtcpPacketsIn, sender.RtcpSent);
        Assert.True(a.RtcpPacketsIn > Mutants / 20 && a.DroppedMalformed > Mutants / 10, $"{a.RtcpPacketsIn} relayed, {a.DroppedMalformed} malformed");
    }

    private static byte[][] RtpSeeds()
    {
        byte[] plain = UdpPeer.Rtp(0, 1000, 160_000, 0xA9E17, RelayFixture.Payload(3));
        byte[] withCsrcs = UdpPeer.Rtp(0, 1001, 160_160, 0xA9E17, RelayFixture.Payload(4));
        withCsrcs = [.. withCsrcs[..12], 0, 0, 0, 1, 0, 0, 0, 2, .. withCsrcs[12..]];
        withCsrcs[0] |= 2; // CC = 2
        byte[] withExtension = UdpPeer.Rtp(0, 1002, 160_320, 0xA9E17, RelayFixture.Payload(5));
        withExtension = [.. withExtension[..12], 0xBE, 0xDE, 0, 1, 0x10, 0xAA, 0, 0, .. withExtension[12..]];
        withExtension[0] |= 0x10;
        byte[] padded = [.. UdpPeer.Rtp(0, 1003, 160_480, 0xA9E17, RelayFixture.Payload(6)), 0, 0, 0, 4];
        padded[0] |= 0x20;
        byte[] telephoneEvent = UdpPeer.Rtp(101, 1004, 160_640, 0xA9E17, [5, 10, 0, 160]);
        return [plain, withCsrcs, withExtension, padded, telephoneEvent];
    }

    private static byte[][] RtcpSeeds()
    {
        byte[] senderReport = RtcpPacketTests.SenderReportWithSdes(0x11111111, 0x22222222, 5000);
        byte[] bye = [0x81, 203, 0, 1, 0x11, 0x11, 0x11, 0x11];
        return [senderReport, [.. senderReport, .. bye]];
    }

    private static byte[] Mutate(Random random, byte[] seed, bool rtcp)
    {
        byte[] copy = (byte[])seed.Clone();
        switch (random.Next(7))
        {
            case 0:
                return seed[..random.Next(seed.Length)];
            case 1:
                for (int i = 0, n = 1 + random.Next(6); i < n; i++)
                {
                    copy[random.Next(copy.Length)] ^= (byte)(1 << random.Next(8));
                }

                return copy;
            case 2:
                // The first octet: version, padding, extension, CSRC or report count.
                copy[0] = (byte)random.Next(256);
                return copy;
            case 3:
                // A length: RTCP's length field, or the extension's / the padding count for RTP.
                if (rtcp)
                {
                    BinaryPrimitives.WriteUInt16BigEndian(copy.AsSpan(2), (ushort)random.Next(65536));
                }
                else
                {
                    copy[^1] = (byte)random.Next(256);
                    copy[0] |= (byte)(random.Next(2) == 0 ? 0x20 : 0x10);
                }

                return copy;
            case 4:
                return [.. copy, .. Enumerable.Range(0, random.Next(64)).Select(_ => (byte)random.Next(256))];
            case 5:
            {
                byte[] noise = new byte[random.Next(1, 200)];
                random.NextBytes(noise);
                return noise;
            }

            default:
                return copy;
        }
    }

    private static Span<byte> Place(byte[] buffer, byte[] datagram, int offset)
    {
        buffer.AsSpan().Fill(Canary);
        datagram.CopyTo(buffer, offset);
        return buffer.AsSpan(offset, datagram.Length);
    }

    private static void AssertCanaryIntact(byte[] buffer, int offset, int length)
    {
        Assert.True(buffer.AsSpan(0, offset).IndexOfAnyExcept(Canary) < 0, "written before the datagram");
        Assert.True(buffer.AsSpan(offset + length).IndexOfAnyExcept(Canary) < 0, "written after the datagram");
    }

    /// <summary>Takes the relay's sends, checking each: RTP of our stream, or a valid RTCP compound.</summary>
    private sealed class CheckingSender : IRelaySender
    {
        public int RtpSent { get; private set; }

        public int RtcpSent { get; private set; }

        public uint? OnlySsrc { get; private set; }

        public bool Send(RelaySocket socket, ReadOnlySpan<byte> packet, SocketAddress destination, LegCounterSet counters, bool rtcp)
        {
            byte[] copy = packet.ToArray();
            if (rtcp)
            {
                Assert.True(RtcpPacket.IsValidCompound(copy), "an invalid RTCP compound was sent");
                RtcpSent++;
            }
            else
            {
                Assert.True(RtpPacket.TryParse(copy, out RtpPacket sent), "a packet that is not RTP was sent");
                Assert.True(OnlySsrc is null || OnlySsrc == sent.Ssrc, "two SSRCs in one outgoing stream");
                OnlySsrc = sent.Ssrc;
                RtpSent++;
            }

            ImmediateSender.CountSent(counters, packet.Length, rtcp, 1);
            return true;
        }
    }
}
