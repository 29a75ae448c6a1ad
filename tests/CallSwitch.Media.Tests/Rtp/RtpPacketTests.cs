using CallSwitch.Media.Rtp;

namespace CallSwitch.Media.Tests.Rtp;

public class RtpPacketTests
{
    // A PCMU packet: V=2, M=1, PT=0, seq 0x1234, ts 0xDEADBEEF, SSRC 0x01020304, 4 payload bytes.
    private static byte[] Basic() =>
        [0x80, 0x80, 0x12, 0x34, 0xDE, 0xAD, 0xBE, 0xEF, 0x01, 0x02, 0x03, 0x04, 0xAA, 0xBB, 0xCC, 0xDD];

    [Fact]
    public void ParsesFixedHeader()
    {
        byte[] data = Basic();
        Assert.True(RtpPacket.TryParse(data, out RtpPacket packet));
        Assert.Equal(2, packet.Version);
        Assert.True(packet.Marker);
        Assert.Equal(0, packet.PayloadType);
        Assert.Equal(0x1234, packet.SequenceNumber);
        Assert.Equal(0xDEADBEEFu, packet.Timestamp);
        Assert.Equal(0x01020304u, packet.Ssrc);
        Assert.Equal(12, packet.HeaderLength);
        Assert.Equal(new byte[] { 0xAA, 0xBB, 0xCC, 0xDD }, packet.Payload.ToArray());
        Assert.False(packet.HasExtension);
        Assert.False(packet.HasPadding);
    }

    [Fact]
    public void ParsesCsrcExtensionAndPadding()
    {
        byte[] data =
        [
            0xB1, 0x08, 0x00, 0x01, 0, 0, 0, 1, 0, 0, 0, 2, // V=2 P=1 X=1 CC=1, PT=8
            0xCA, 0xFE, 0xBA, 0xBE, // CSRC
            0xBE, 0xDE, 0x00, 0x01, 0x10, 0x20, 0x30, 0x40, // extension: profile 0xBEDE, 1 word
            0x55, 0x66, // payload
            0x00, 0x00, 0x03, // padding: 3 octets, the count included
        ];
        Assert.True(RtpPacket.TryParse(data, out RtpPacket packet));
        Assert.Equal(1, packet.CsrcCount);
        Assert.Equal(0xCAFEBABEu, packet.GetCsrc(0));
        Assert.Equal(0xBEDE, packet.ExtensionProfile);
        Assert.Equal(new byte[] { 0x10, 0x20, 0x30, 0x40 }, packet.ExtensionData.ToArray());
        Assert.Equal(24, packet.HeaderLength);
        Assert.Equal(new byte[] { 0x55, 0x66 }, packet.Payload.ToArray());
        Assert.Equal(3, packet.PaddingLength);
        Assert.Equal(8, packet.PayloadType);
    }

    public static TheoryData<string, byte[]> Invalid => new()
    {
        { "empty", [] },
        { "shorter than the fixed header", [0x80, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 0] },
        { "version 1", [0x40, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1] },
        { "version 0 (STUN-like)", [0x00, 0x01, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1] },
        { "CSRC list beyond the end", [0x82, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1] },
        { "extension header cut", [0x90, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0xBE, 0xDE] },
        { "extension words beyond the end", [0x90, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0xBE, 0xDE, 0, 2, 1, 2, 3, 4] },
        { "padding count zero", [0xA0, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0] },
        { "padding longer than the payload", [0xA0, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 9] },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void RejectsMalformed(string why, byte[] data)
    {
        Assert.False(RtpPacket.TryParse(data, out _), why);
    }

    [Fact]
    public void SettersRewriteInPlaceAndKeepTheRest()
    {
        byte[] data = Basic();
        Assert.True(RtpPacket.TryParse(data, out RtpPacket packet));
        packet.Ssrc = 0xA1B2C3D4;
        packet.SequenceNumber = 0xFFFF;
        packet.Timestamp = 0x00000001;
        packet.PayloadType = 101;
        packet.Marker = false;

        Assert.Equal(
            new byte[] { 0x80, 101, 0xFF, 0xFF, 0, 0, 0, 1, 0xA1, 0xB2, 0xC3, 0xD4, 0xAA, 0xBB, 0xCC, 0xDD },
            data);
        packet.Marker = true;
        Assert.Equal(0x80 | 101, data[1]);
        Assert.Equal(101, packet.PayloadType);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(128)]
    public void PayloadTypeOutOfRangeThrows(int payloadType)
    {
        byte[] data = Basic();
        Assert.True(RtpPacket.TryParse(data, out RtpPacket packet));
        try
        {
            packet.PayloadType = payloadType;
            Assert.Fail("no exception");
        }
        catch (ArgumentOutOfRangeException)
        {
        }
    }

    [Fact]
    public void WriteHeaderRoundTrips()
    {
        byte[] data = new byte[20];
        int length = RtpPacket.WriteHeader(data, 8, marker: true, 65535, 4_000_000_000, 42);
        Assert.Equal(12, length);
        Assert.True(RtpPacket.TryParse(data, out RtpPacket packet));
        Assert.Equal((8, true, (ushort)65535, 4_000_000_000u, 42u), (packet.PayloadType, packet.Marker, packet.SequenceNumber, packet.Timestamp, packet.Ssrc));
        Assert.Equal(8, packet.Payload.Length);
    }

    [Theory]
    [InlineData(200, true)]
    [InlineData(201, true)]
    [InlineData(223, true)]
    [InlineData(0, false)]
    [InlineData(0x80 | 8, false)]
    [InlineData(101, false)]
    public void RecognisesMultiplexedRtcp(byte secondOctet, bool rtcp)
    {
        Assert.Equal(rtcp, RtpPacket.LooksLikeRtcp([0x80, secondOctet]));
    }

    [Fact]
    public void ReadsTelephoneEvent()
    {
        byte[] data = new byte[16];
        RtpPacket.WriteHeader(data, 101, marker: true, 7, 1234, 99);
        data[12] = 5; // digit 5
        data[13] = 0x80 | 10; // end, volume 10
        data[14] = 0x03;
        data[15] = 0x20; // duration 800
        Assert.True(RtpPacket.TryParse(data, out RtpPacket packet));
        Assert.True(CallSwitch.Media.Dtmf.TelephoneEvent.TryParse(packet.Payload, out var telephoneEvent));
        Assert.Equal(new CallSwitch.Media.Dtmf.TelephoneEvent(5, true, 10, 800), telephoneEvent);
        Assert.Equal(1234u, packet.Timestamp);
        Assert.True(packet.Marker);
    }
}
