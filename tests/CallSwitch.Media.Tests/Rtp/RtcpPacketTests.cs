using System.Buffers.Binary;
using CallSwitch.Media.Rtp;

namespace CallSwitch.Media.Tests.Rtp;

public class RtcpPacketTests
{
    internal static byte[] SenderReportWithSdes(uint sender, uint reported, uint rtpTimestamp)
    {
        // SR with one report block (7 words + 1 header = 28 + 24 = 52 bytes), then SDES with one CNAME chunk.
        byte[] sr = new byte[52];
        sr[0] = 0x81;
        sr[1] = 200;
        BinaryPrimitives.WriteUInt16BigEndian(sr.AsSpan(2), 12);
        BinaryPrimitives.WriteUInt32BigEndian(sr.AsSpan(4), sender);
        BinaryPrimitives.WriteUInt32BigEndian(sr.AsSpan(16), rtpTimestamp);
        BinaryPrimitives.WriteUInt32BigEndian(sr.AsSpan(20), 77); // packet count
        BinaryPrimitives.WriteUInt32BigEndian(sr.AsSpan(28), reported);
        BinaryPrimitives.WriteUInt32BigEndian(sr.AsSpan(36), 0x0001_0010); // extended highest seq

        // SDES: header, SSRC, CNAME "ab" (type 1, len 2), END, pad to 4 → 4 + 4 + 4 = 12 bytes.
        byte[] sdes = [0x81, 202, 0, 2, 0, 0, 0, 0, 1, 2, (byte)'a', (byte)'b', 0, 0, 0, 0];
        BinaryPrimitives.WriteUInt16BigEndian(sdes.AsSpan(2), 3);
        BinaryPrimitives.WriteUInt32BigEndian(sdes.AsSpan(4), sender);
        return [.. sr, .. sdes];
    }

    [Fact]
    public void WalksCompoundPacket()
    {
        byte[] data = SenderReportWithSdes(0x11111111, 0x22222222, 5000);
        Assert.True(RtcpPacket.IsValidCompound(data));
        int offset = 0;
        Assert.True(RtcpPacket.TryReadNext(data, ref offset, out RtcpPacket sr));
        Assert.Equal(RtcpPacketType.SenderReport, sr.PacketType);
        Assert.Equal(0x11111111u, sr.SenderSsrc);
        Assert.Equal(1, sr.ReportBlockCount);
        Assert.Equal(0x22222222u, sr.GetReportBlockSsrc(0));
        Assert.Equal(0x0001_0010u, sr.GetReportBlockHighestSequence(0));
        Assert.Equal(5000u, sr.SenderReportRtpTimestamp);
        Assert.Equal(77u, sr.SenderPacketCount);
        Assert.Equal(52, offset);
        Assert.True(RtcpPacket.TryReadNext(data, ref offset, out RtcpPacket sdes));
        Assert.Equal(RtcpPacketType.SourceDescription, sdes.PacketType);
        Assert.Equal(0x11111111u, sdes.SenderSsrc);
        Assert.False(RtcpPacket.TryReadNext(data, ref offset, out _));
        Assert.Equal(data.Length, offset);
    }

    [Fact]
    public void RewritesSsrcsOfEveryPacket()
    {
        byte[] data = SenderReportWithSdes(0x11111111, 0x22222222, 5000);
        byte[] bye = [0x81, 203, 0, 1, 0x11, 0x11, 0x11, 0x11];
        byte[] rr = new byte[32];
        rr[0] = 0x81;
        rr[1] = 201;
        rr[3] = 7;
        BinaryPrimitives.WriteUInt32BigEndian(rr.AsSpan(4), 0x11111111);
        BinaryPrimitives.WriteUInt32BigEndian(rr.AsSpan(8), 0x22222222);
        data = [.. data, .. rr, .. bye];
        Assert.True(RtcpPacket.IsValidCompound(data));

        int offset = 0;
        while (RtcpPacket.TryReadNext(data, ref offset, out RtcpPacket packet))
        {
            packet.RewriteSsrcs(0xAAAAAAAA, 0xBBBBBBBB);
        }

        offset = 0;
        int seen = 0;
        while (RtcpPacket.TryReadNext(data, ref offset, out RtcpPacket packet))
        {
            seen++;
            Assert.Equal(0xAAAAAAAAu, packet.SenderSsrc);
            for (int i = 0; i < packet.ReportBlockCount; i++)
            {
                Assert.Equal(0xBBBBBBBBu, packet.GetReportBlockSsrc(i));
            }
        }

        Assert.Equal(4, seen);
        Assert.Equal((byte)'a', data[62]); // the CNAME text is untouched
    }

    [Fact]
    public void LeavesReportBlocksWhenReportedSsrcUnknown()
    {
        byte[] data = SenderReportWithSdes(1, 2, 3);
        int offset = 0;
        Assert.True(RtcpPacket.TryReadNext(data, ref offset, out RtcpPacket sr));
        sr.RewriteSsrcs(9, null);
        Assert.Equal(9u, sr.SenderSsrc);
        Assert.Equal(2u, sr.GetReportBlockSsrc(0));
    }

    public static TheoryData<string, byte[]> Invalid => new()
    {
        { "empty", [] },
        { "version 1", [0x41, 200, 0, 0] },
        { "length beyond the datagram", [0x80, 201, 0, 9, 0, 0, 0, 1] },
        { "report count beyond the length", [0x82, 201, 0, 1, 0, 0, 0, 1] },
        { "trailing bytes after the last packet", [0x80, 201, 0, 1, 0, 0, 0, 1, 0xFF] },
        { "SDES chunk without END", [0x81, 202, 0, 2, 0, 0, 0, 1, 1, 4, 65, 66] },
        { "BYE count beyond the length", [0x83, 203, 0, 1, 0, 0, 0, 1] },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void RejectsMalformed(string why, byte[] data)
    {
        Assert.False(RtcpPacket.IsValidCompound(data), why);
    }

    [Fact]
    public void RewritesSenderReportTimestamp()
    {
        byte[] data = SenderReportWithSdes(1, 2, 0xFFFFFFF0);
        int offset = 0;
        Assert.True(RtcpPacket.TryReadNext(data, ref offset, out RtcpPacket sr));
        sr.SenderReportRtpTimestamp += 0x20;
        Assert.Equal(0x10u, sr.SenderReportRtpTimestamp);
    }
}
