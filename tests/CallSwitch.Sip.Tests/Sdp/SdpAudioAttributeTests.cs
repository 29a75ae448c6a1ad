using System.Net;
using CallSwitch.Sip.Sdp;

namespace CallSwitch.Sip.Tests.Sdp;

public sealed class SdpAudioAttributeTests
{
    [Fact]
    public void Linphone_StaticTypesWithoutRtpMap_ResolveFromRfc3551()
    {
        var audio = Parse(SdpFixtures.Linphone).MediaDescriptions[0];

        var formats = audio.GetPayloadFormats();

        Assert.Equal(
            [
                new SdpRtpMap(96, "opus", 48000, 2),
                new SdpRtpMap(97, "speex", 16000),
                new SdpRtpMap(98, "speex", 8000),
                new SdpRtpMap(0, "PCMU", 8000),
                new SdpRtpMap(8, "PCMA", 8000),
                new SdpRtpMap(18, "G729", 8000),
                new SdpRtpMap(101, "telephone-event", 48000),
                new SdpRtpMap(99, "telephone-event", 16000),
                new SdpRtpMap(100, "telephone-event", 8000),
            ],
            formats);
        Assert.Equal(6, audio.GetRtpMaps().Count);
    }

    [Fact]
    public void Linphone_G729HasOnlyAnFmtp()
    {
        var audio = Parse(SdpFixtures.Linphone).MediaDescriptions[0];

        Assert.True(audio.TryGetFormatParameters(18, out var fmtp));
        Assert.Equal("annexb=yes", fmtp.Parameters);
        Assert.True(fmtp.TryGetValue("AnnexB", out var annexB));
        Assert.Equal("yes", annexB);
        Assert.False(audio.TryGetFormatParameters(0, out _));
        Assert.True(audio.TryGetFormatParameters(96, out var opus));
        Assert.True(opus.TryGetValue("useinbandfec", out var fec));
        Assert.Equal("1", fec);
    }

    [Fact]
    public void G722_HasRtpClock8000ButSamples16000()
    {
        Assert.True(SdpStaticPayloadTypes.TryGet(9, out var g722));
        Assert.Equal(new SdpRtpMap(9, "G722", 8000), g722);
        Assert.Equal(8000, AudioCodec.G722.ClockRate);
        Assert.Equal(16000, AudioCodec.G722.SampleRate);
        Assert.Equal(8000, AudioCodec.Pcmu.SampleRate);
    }

    [Theory]
    [InlineData(0, "PCMU", 8000)]
    [InlineData(3, "GSM", 8000)]
    [InlineData(8, "PCMA", 8000)]
    [InlineData(9, "G722", 8000)]
    [InlineData(13, "CN", 8000)]
    [InlineData(18, "G729", 8000)]
    public void StaticPayloadTypes_FollowRfc3551(int payloadType, string name, int rate)
    {
        Assert.True(SdpStaticPayloadTypes.TryGet(payloadType, out var map));
        Assert.Equal(name, map.EncodingName);
        Assert.Equal(rate, map.ClockRate);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(19)]
    [InlineData(31)]
    [InlineData(96)]
    [InlineData(-1)]
    public void UnassignedOrDynamicPayloadTypes_AreNotStatic(int payloadType)
    {
        Assert.False(SdpStaticPayloadTypes.TryGet(payloadType, out _));
    }

    [Fact]
    public void ExplicitRtpMap_WinsOverStaticTable()
    {
        var media = new SdpMediaDescription("audio", 4000, "RTP/AVP", ["9"]);
        media.Attributes.Add(new SdpAttribute("rtpmap", "9 G722/16000"));

        Assert.True(media.TryGetRtpMap(9, out var map));
        Assert.Equal(16000, map.ClockRate);
    }

    [Theory]
    [InlineData("0 PCMU/8000", 0, "PCMU", 8000, 1)]
    [InlineData("111 opus/48000/2", 111, "opus", 48000, 2)]
    [InlineData("101  telephone-event/8000", 101, "telephone-event", 8000, 1)]
    public void RtpMap_Parses(string value, int payloadType, string name, int rate, int channels)
    {
        Assert.True(SdpRtpMap.TryParse(value, out var map));
        Assert.Equal(new SdpRtpMap(payloadType, name, rate, channels), map);
    }

    [Theory]
    [InlineData("PCMU/8000")]
    [InlineData("0 PCMU")]
    [InlineData("0 PCMU/fast")]
    [InlineData("200 PCMU/8000")]
    [InlineData("0 PCMU/8000/0")]
    [InlineData("0 /8000")]
    public void RtpMap_RefusesGarbage(string value)
    {
        Assert.False(SdpRtpMap.TryParse(value, out _));
    }

    [Fact]
    public void PtimeAndMaxPtime_AreRead()
    {
        var media = new SdpMediaDescription("audio", 4000, "RTP/AVP", ["0"]);
        media.Attributes.Add(new SdpAttribute("ptime", "30"));
        media.Attributes.Add(new SdpAttribute("maxptime", "150"));

        Assert.Equal(30, media.Ptime);
        Assert.Equal(150, media.MaxPtime);
        Assert.Equal(20, Parse(SdpFixtures.Baresip).MediaDescriptions[0].Ptime);
        Assert.Null(Parse(SdpFixtures.Linphone).MediaDescriptions[0].Ptime);
    }

    [Fact]
    public void Direction_SessionLevelIsTheDefaultAndMediaLevelOverrides()
    {
        var sdp = Parse("v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\na=sendonly\r\n"
            + "m=audio 4000 RTP/AVP 0\r\nm=audio 4002 RTP/AVP 0\r\na=inactive\r\n");

        Assert.Equal(SdpMediaDirection.SendOnly, sdp.GetDirection(sdp.MediaDescriptions[0]));
        Assert.Null(sdp.MediaDescriptions[0].Direction);
        Assert.Equal(SdpMediaDirection.Inactive, sdp.GetDirection(sdp.MediaDescriptions[1]));
        Assert.Equal(SdpMediaDirection.SendReceive, Parse(SdpFixtures.Linphone).GetDirection(Parse(SdpFixtures.Linphone).MediaDescriptions[0]));
    }

    [Fact]
    public void SetDirection_ReplacesTheExistingAttributeInPlace()
    {
        var media = Parse(SdpFixtures.Baresip).MediaDescriptions[0];

        media.SetDirection(SdpMediaDirection.ReceiveOnly);

        Assert.Equal(new SdpAttribute("recvonly"), media.Attributes[4]);
        Assert.Single(media.Attributes, a => a.Value is null && SdpMediaDirectionExtensions.TryParse(a.Name, out _));
    }

    [Theory]
    [InlineData(nameof(SdpFixtures.HoldWithNullAddress), true)]
    [InlineData(nameof(SdpFixtures.HoldWithSendOnly), true)]
    [InlineData(nameof(SdpFixtures.Baresip), false)]
    [InlineData(nameof(SdpFixtures.Linphone), false)]
    public void HoldDetection(string fixture, bool onHold)
    {
        var text = (string)typeof(SdpFixtures).GetProperty(fixture)!.GetValue(null)!;
        var sdp = Parse(text);

        Assert.Equal(onHold, sdp.IsOnHold(sdp.MediaDescriptions[0]));
    }

    [Theory]
    [InlineData("inactive", true)]
    [InlineData("recvonly", false)]
    public void HoldDetection_ByDirection(string attribute, bool onHold)
    {
        var sdp = Parse($"v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\na={attribute}\r\n");

        Assert.Equal(onHold, sdp.IsOnHold(sdp.MediaDescriptions[0]));
    }

    [Fact]
    public void IPv6Connection_AtMediaLevel()
    {
        var sdp = Parse(SdpFixtures.IPv6);
        var audio = sdp.MediaDescriptions[0];

        Assert.Null(sdp.Connection);
        var connection = sdp.GetConnection(audio);
        Assert.NotNull(connection);
        Assert.True(connection.IsIPv6);
        Assert.True(connection.TryGetIPAddress(out var address));
        Assert.Equal(IPAddress.Parse("2001:db8::10"), address);
    }

    [Theory]
    [InlineData("IN IP6 ::1", "::1", true, false)]
    [InlineData("IN IP4 0.0.0.0", "0.0.0.0", false, true)]
    [InlineData("IN IP6 ::", "::", true, true)]
    [InlineData("IN IP4 media.example.com", "media.example.com", false, false)]
    public void Connection_Parses(string value, string address, bool isIPv6, bool isUnspecified)
    {
        Assert.True(SdpConnection.TryParse(value, out var connection, out var error), error);
        Assert.Equal(address, connection.Address);
        Assert.Equal(isIPv6, connection.IsIPv6);
        Assert.Equal(isUnspecified, connection.IsUnspecified);
        Assert.Equal(value, connection.ToString());
    }

    [Fact]
    public void RtcpAttribute_WithAndWithoutAddress()
    {
        var ipv6 = Parse(SdpFixtures.IPv6).MediaDescriptions[0].Rtcp;
        Assert.NotNull(ipv6);
        Assert.Equal(30011, ipv6.Port);
        Assert.Equal("2001:db8::11", ipv6.Connection?.Address);

        Assert.True(SdpRtcpAttribute.TryParse("53020", out var portOnly));
        Assert.Equal(new SdpRtcpAttribute(53020), portOnly);
        Assert.False(SdpRtcpAttribute.TryParse("port", out _));
        Assert.Null(Parse(SdpFixtures.Baresip).MediaDescriptions[0].Rtcp);
    }

    [Fact]
    public void RtcpMux_Presence()
    {
        var media = new SdpMediaDescription("audio", 4000, "RTP/AVP", ["0"]);
        Assert.False(media.HasRtcpMux);

        media.Attributes.Add(new SdpAttribute("rtcp-mux"));
        Assert.True(media.HasRtcpMux);
    }

    [Theory]
    [InlineData(SdpMediaDirection.SendReceive, SdpMediaDirection.SendReceive, SdpMediaDirection.SendReceive)]
    [InlineData(SdpMediaDirection.SendOnly, SdpMediaDirection.SendReceive, SdpMediaDirection.ReceiveOnly)]
    [InlineData(SdpMediaDirection.ReceiveOnly, SdpMediaDirection.SendReceive, SdpMediaDirection.SendOnly)]
    [InlineData(SdpMediaDirection.Inactive, SdpMediaDirection.SendReceive, SdpMediaDirection.Inactive)]
    [InlineData(SdpMediaDirection.SendReceive, SdpMediaDirection.SendOnly, SdpMediaDirection.SendOnly)]
    [InlineData(SdpMediaDirection.SendOnly, SdpMediaDirection.SendOnly, SdpMediaDirection.Inactive)]
    [InlineData(SdpMediaDirection.ReceiveOnly, SdpMediaDirection.ReceiveOnly, SdpMediaDirection.Inactive)]
    public void DirectionAnswerRules_FollowRfc3264(SdpMediaDirection offered, SdpMediaDirection wanted, SdpMediaDirection answered)
    {
        Assert.Equal(answered, offered.AnswerTo(wanted));
    }

    private static SessionDescription Parse(string text)
    {
        Assert.True(SessionDescription.TryParse(text, out var sdp, out var error), error);
        return sdp;
    }
}
