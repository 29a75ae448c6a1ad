using System.Text;
using CallSwitch.Sip.Sdp;

namespace CallSwitch.Sip.Tests.Sdp;

public sealed class SessionDescriptionParserTests
{
    public static TheoryData<string> Fixtures => new()
    {
        SdpFixtures.Baresip,
        SdpFixtures.Linphone,
        SdpFixtures.AudioAndVideo,
        SdpFixtures.HoldWithNullAddress,
        SdpFixtures.HoldWithSendOnly,
        SdpFixtures.IPv6,
        SdpFixtures.Rfc4566Example,
    };

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Fixtures_RoundTripByteForByte(string text)
    {
        var sdp = Parse(text);

        Assert.Equal(text, sdp.ToString());
        Assert.Equal(text, Parse(sdp.ToString()).ToString());
    }

    [Fact]
    public void Baresip_SessionAndMediaFields()
    {
        var sdp = Parse(SdpFixtures.Baresip);

        Assert.Equal(new SdpOrigin("-", 1709831034, 3153258315, "IN", "IP4", "192.168.1.23"), sdp.Origin);
        Assert.Equal("-", sdp.SessionName);
        Assert.Equal(new SdpConnection("IN", "IP4", "192.168.1.23"), sdp.Connection);
        var timing = Assert.Single(sdp.Timings);
        Assert.Equal(0UL, timing.StartTime);
        Assert.Equal(0UL, timing.StopTime);
        Assert.Equal(new SdpAttribute("tool", "baresip 3.10.1"), Assert.Single(sdp.Attributes));

        var audio = Assert.Single(sdp.MediaDescriptions);
        Assert.Equal("audio", audio.Media);
        Assert.Equal(45286, audio.Port);
        Assert.Equal("RTP/AVP", audio.Protocol);
        Assert.Equal(["0", "8", "101"], audio.Formats);
        Assert.Equal(new SdpBandwidth("AS", 64), Assert.Single(audio.Bandwidths));
        Assert.Empty(audio.Connections);
        Assert.Equal(new SdpAttribute("ssrc", "1870386045 cname:sip:alice@example.com"), audio.Attributes[7]);
        Assert.Equal(new SdpAttribute("rtcp-rsize"), audio.Attributes[6]);
    }

    [Fact]
    public void Rfc4566Example_AllLineTypes()
    {
        var sdp = Parse(SdpFixtures.Rfc4566Example);

        Assert.Equal("SDP Seminar", sdp.SessionName);
        Assert.Equal("A Seminar on the session description protocol", sdp.Information);
        Assert.Equal("http://www.example.com/seminars/sdp.pdf", sdp.Uri);
        Assert.Equal(["j.doe@example.com (Jane Doe)"], sdp.Emails);
        Assert.Equal(["+1 617 555-6011"], sdp.Phones);
        Assert.Equal(new SdpConnection("IN", "IP4", "224.2.17.12", Ttl: 127), sdp.Connection);
        Assert.Equal(new SdpBandwidth("CT", 128), Assert.Single(sdp.Bandwidths));
        var timing = Assert.Single(sdp.Timings);
        Assert.Equal(2873397496UL, timing.StartTime);
        Assert.Equal(["604800 3600 0 90000"], timing.RepeatTimes);
        Assert.Equal("2882844526 -1h 2898848070 0", sdp.TimeZones);
        Assert.Equal("prompt", sdp.EncryptionKey);
        Assert.Equal(SdpMediaDirection.ReceiveOnly, sdp.Direction);

        Assert.Equal(2, sdp.MediaDescriptions.Count);
        Assert.Equal("Voice", sdp.MediaDescriptions[0].Information);
        Assert.Equal("prompt", sdp.MediaDescriptions[0].EncryptionKey);
        var video = sdp.MediaDescriptions[1];
        Assert.Equal(51372, video.Port);
        Assert.Equal(2, video.PortCount);
        Assert.Equal(new SdpConnection("IN", "IP4", "224.2.17.12", 127, 2), video.Connection);
    }

    [Fact]
    public void BareLineFeedsTrailingWhitespaceAndBlankLines_AreAccepted()
    {
        var sloppy = "v=0\no=- 1 1 IN IP4 10.0.0.1  \ns=- \t\nc=IN IP4 10.0.0.1\r\n\nt=0 0\nm=audio 4000 RTP/AVP 0 \na=sendrecv\n\n\n";

        var sdp = Parse(sloppy);

        Assert.Equal("-", sdp.SessionName);
        Assert.Equal(["0"], sdp.MediaDescriptions[0].Formats);
        Assert.Equal(
            "v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\na=sendrecv\r\n",
            sdp.ToString());
    }

    [Fact]
    public void UnknownAttributesAndLines_AreKeptAndWrittenBack()
    {
        var text = "v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\n"
            + "a=X-custom:some value: with colons\r\ny=session extension\r\n"
            + "m=audio 4000 RTP/AVP 0\r\na=x-flag\r\na=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:abc\r\nx=media extension\r\n";

        var sdp = Parse(text);

        Assert.Equal(new SdpAttribute("X-custom", "some value: with colons"), sdp.Attributes[0]);
        Assert.Equal(new SdpLine('y', "session extension"), Assert.Single(sdp.ExtraLines));
        Assert.Equal(new SdpLine('x', "media extension"), Assert.Single(sdp.MediaDescriptions[0].ExtraLines));
        Assert.Equal(text, sdp.ToString());
    }

    [Fact]
    public void Writer_PutsLinesInRfcOrder()
    {
        // c= and b= after a=, t= before s=: tolerated on input, fixed on output (RFC 4566 §5 order).
        var text = "v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\nt=0 0\r\ns=-\r\na=tool:x\r\nc=IN IP4 10.0.0.1\r\n"
            + "m=audio 4000 RTP/AVP 0\r\na=sendrecv\r\nc=IN IP4 10.0.0.2\r\nb=AS:80\r\n";

        var written = Parse(text).ToString();

        Assert.Equal(
            "v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\na=tool:x\r\n"
            + "m=audio 4000 RTP/AVP 0\r\nc=IN IP4 10.0.0.2\r\nb=AS:80\r\na=sendrecv\r\n",
            written);
    }

    [Fact]
    public void MissingTiming_IsToleratedAndWrittenAsZero()
    {
        var sdp = Parse("v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nm=audio 4000 RTP/AVP 0\r\n");

        Assert.Empty(sdp.Timings);
        Assert.Contains("\r\nt=0 0\r\n", sdp.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void RejectedStreamWithoutFormats_IsAccepted()
    {
        var sdp = Parse("v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nt=0 0\r\nm=video 0 RTP/AVP\r\n");

        Assert.True(sdp.MediaDescriptions[0].IsRejected);
        Assert.Empty(sdp.MediaDescriptions[0].Formats);
    }

    [Fact]
    public void NonRtpFormats_AreNotRequiredToBeNumbers()
    {
        var sdp = Parse("v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\nm=image 4002 udptl t38\r\n");

        Assert.Equal(["t38"], sdp.MediaDescriptions[0].Formats);
        Assert.False(sdp.MediaDescriptions[0].IsRtp);
    }

    [Fact]
    public void Utf8Bytes_ParseLikeText()
    {
        var bytes = Encoding.UTF8.GetBytes(SdpFixtures.Linphone.Replace("s=Talk", "s=Réunion café", StringComparison.Ordinal));

        Assert.True(SessionDescription.TryParse(bytes, out var sdp, out var error), error);
        Assert.Equal("Réunion café", sdp.SessionName);
        Assert.Equal(bytes, sdp.ToUtf8Bytes());
    }

    [Fact]
    public void InvalidUtf8_IsRefused()
    {
        var bytes = Encoding.ASCII.GetBytes("v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=\u0001\r\n");
        bytes[^3] = 0xC3;

        Assert.False(SessionDescription.TryParse(bytes, out var sdp, out var error));
        Assert.Null(sdp);
        Assert.Contains("UTF-8", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ThrowsFormatExceptionWithTheReason()
    {
        var exception = Assert.Throws<FormatException>(() => SessionDescription.Parse("o=- 1 1 IN IP4 10.0.0.1\r\n"));

        Assert.Contains("v=0", exception.Message, StringComparison.Ordinal);
    }

    private static SessionDescription Parse(string text)
    {
        Assert.True(SessionDescription.TryParse(text, out var sdp, out var error), error);
        return sdp;
    }
}
