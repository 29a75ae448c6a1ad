using System.Net;
using CallSwitch.Sip.Sdp;

namespace CallSwitch.Sip.Tests.Sdp;

public sealed class SdpAudioNegotiatorAnswerTests
{
    private static readonly IPAddress _local = IPAddress.Parse("203.0.113.5");

    [Fact]
    public void Baresip_AnsweredWithPcmuAndItsTelephoneEvent()
    {
        var result = NewNegotiator().CreateAnswer(Parse(SdpFixtures.Baresip));

        Assert.True(result.IsAcceptable);
        var audio = Assert.Single(result.Answer.MediaDescriptions);
        Assert.Equal(40000, audio.Port);
        Assert.Equal(["0", "101"], audio.Formats);
        Assert.True(audio.TryGetRtpMap(101, out var events));
        Assert.Equal(new SdpRtpMap(101, "telephone-event", 8000), events);
        Assert.Equal(20, audio.Ptime);
        Assert.Equal(SdpMediaDirection.SendReceive, audio.Direction);
        Assert.False(audio.HasRtcpMux);
        Assert.Equal(new SdpConnection("IN", "IP4", "203.0.113.5"), result.Answer.Connection);

        var negotiated = result.Audio!;
        Assert.Equal(new SdpRtpMap(0, "PCMU", 8000), negotiated.Codec);
        Assert.Equal(101, negotiated.TelephoneEventPayloadType);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.168.1.23"), 45286), negotiated.RemoteRtpEndPoint);
        Assert.Equal(45287, negotiated.RemoteRtcpPort);
        Assert.Equal(20, negotiated.Ptime);
        Assert.Equal(SdpMediaDirection.SendReceive, negotiated.LocalDirection);
        Assert.False(negotiated.RemoteOnHold);
    }

    [Fact]
    public void Answer_IsValidSdpThatRoundTrips()
    {
        var answer = NewNegotiator().CreateAnswer(Parse(SdpFixtures.Linphone)).Answer.ToString();

        Assert.True(SessionDescription.TryParse(answer, out var reparsed, out var error), error);
        Assert.Equal(answer, reparsed.ToString());
        Assert.StartsWith("v=0\r\no=- 4242 1 IN IP4 203.0.113.5\r\ns=-\r\nc=IN IP4 203.0.113.5\r\nt=0 0\r\nm=audio 40000 RTP/AVP 96 101\r\n", answer, StringComparison.Ordinal);
    }

    [Fact]
    public void Linphone_OffererPreference_PicksOpusWithTelephoneEvent48000()
    {
        var result = NewNegotiator().CreateAnswer(Parse(SdpFixtures.Linphone));

        var audio = result.Answer.MediaDescriptions[0];
        Assert.Equal(["96", "101"], audio.Formats);
        Assert.True(audio.TryGetRtpMap(96, out var opus));
        Assert.Equal(new SdpRtpMap(96, "opus", 48000, 2), opus);
        Assert.True(audio.TryGetRtpMap(101, out var events));
        Assert.Equal(48000, events.ClockRate);
        Assert.True(audio.TryGetFormatParameters(101, out var eventsFmtp));
        Assert.Equal("0-16", eventsFmtp.Parameters);
        Assert.Equal(101, result.Audio!.TelephoneEventPayloadType);
        Assert.Equal("useinbandfec=1", result.Audio.FormatParameters);
    }

    [Fact]
    public void Linphone_LocalPreference_PicksPcmuWithTelephoneEvent8000()
    {
        var result = NewNegotiator().CreateAnswer(Parse(SdpFixtures.Linphone), preference: SdpCodecPreference.Local);

        var audio = result.Answer.MediaDescriptions[0];
        Assert.Equal(["0", "100"], audio.Formats);
        Assert.True(audio.TryGetRtpMap(100, out var events));
        Assert.Equal(new SdpRtpMap(100, "telephone-event", 8000), events);
        Assert.Equal(new SdpRtpMap(0, "PCMU", 8000), result.Audio!.Codec);
    }

    [Fact]
    public void Linphone_G729WithoutRtpMap_IsChosenWhenItIsAllWeServe()
    {
        var negotiator = new SdpAudioNegotiator(
            new SdpAudioNegotiatorOptions(_local, 40000) { Codecs = [AudioCodec.G729, AudioCodec.TelephoneEvent] }, 1);

        var result = negotiator.CreateAnswer(Parse(SdpFixtures.Linphone));

        var audio = result.Answer.MediaDescriptions[0];
        Assert.Equal(["18", "100"], audio.Formats);
        Assert.True(audio.TryGetFormatParameters(18, out var fmtp));
        Assert.Equal("annexb=yes", fmtp.Parameters);
    }

    [Fact]
    public void G722_GetsTheTelephoneEventAt8000NotItsSampleRate()
    {
        var offer = Offer("m=audio 5000 RTP/AVP 9 101 102\r\na=rtpmap:9 G722/8000\r\n"
            + "a=rtpmap:101 telephone-event/16000\r\na=rtpmap:102 telephone-event/8000\r\n");

        var result = NewNegotiator().CreateAnswer(offer);

        Assert.Equal(["9", "102"], result.Answer.MediaDescriptions[0].Formats);
        Assert.Equal(102, result.Audio!.TelephoneEventPayloadType);
    }

    [Fact]
    public void NoTelephoneEventAtTheCodecRate_AnswersWithoutDtmf()
    {
        var offer = Offer("m=audio 5000 RTP/AVP 0 101\r\na=rtpmap:101 telephone-event/48000\r\n");

        var result = NewNegotiator().CreateAnswer(offer);

        Assert.Equal(["0"], result.Answer.MediaDescriptions[0].Formats);
        Assert.Null(result.Audio!.TelephoneEventPayloadType);
    }

    [Fact]
    public void WithoutTelephoneEventCapability_DtmfIsNotAnswered()
    {
        var negotiator = new SdpAudioNegotiator(new SdpAudioNegotiatorOptions(_local, 40000) { Codecs = [AudioCodec.Pcmu] }, 1);

        var result = negotiator.CreateAnswer(Parse(SdpFixtures.Baresip));

        Assert.Equal(["0"], result.Answer.MediaDescriptions[0].Formats);
    }

    [Fact]
    public void VideoStream_IsRefusedWithPortZeroKeepingOrder()
    {
        var result = NewNegotiator().CreateAnswer(Parse(SdpFixtures.AudioAndVideo));

        Assert.Equal(2, result.Answer.MediaDescriptions.Count);
        var audio = result.Answer.MediaDescriptions[0];
        var video = result.Answer.MediaDescriptions[1];
        Assert.Equal(["0"], audio.Formats);
        Assert.Equal(40000, audio.Port);
        Assert.Equal("video", video.Media);
        Assert.Equal(0, video.Port);
        Assert.Equal(["31", "32"], video.Formats);
        Assert.Empty(video.Attributes);
        Assert.Contains("\r\nm=video 0 RTP/AVP 31 32\r\n", result.Answer.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownTransportAndNonAudio_AreRefusedAndTheUsableAudioAccepted()
    {
        var offer = Offer("m=audio 5000 RTP/SAVP 0\r\na=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz\r\n"
            + "m=image 5004 udptl t38\r\n"
            + "m=audio 5002 RTP/AVP 8\r\n");

        var result = NewNegotiator().CreateAnswer(offer);

        Assert.Equal([0, 0, 40000], result.Answer.MediaDescriptions.Select(m => m.Port));
        Assert.Equal(["RTP/SAVP", "udptl", "RTP/AVP"], result.Answer.MediaDescriptions.Select(m => m.Protocol));
        Assert.Equal(2, result.Audio!.MediaIndex);
        Assert.Equal(5002, result.Audio.RemotePort);
        Assert.Equal("PCMA", result.Audio.Codec.EncodingName);
    }

    [Fact]
    public void NoCommonCodec_RefusesTheStreamAndReportsNotAcceptable()
    {
        var offer = Offer("m=audio 5000 RTP/AVP 3 97\r\na=rtpmap:97 iLBC/8000\r\n");

        var result = NewNegotiator().CreateAnswer(offer);

        Assert.False(result.IsAcceptable);
        var refused = Assert.Single(result.Answer.MediaDescriptions);
        Assert.Equal(0, refused.Port);
        Assert.Equal(["3", "97"], refused.Formats);
    }

    [Fact]
    public void SecondAudioStream_IsRefused()
    {
        var offer = Offer("m=audio 5000 RTP/AVP 0\r\nm=audio 5002 RTP/AVP 0\r\n");

        var result = NewNegotiator().CreateAnswer(offer);

        Assert.Equal([40000, 0], result.Answer.MediaDescriptions.Select(m => m.Port));
    }

    [Theory]
    [InlineData("sendonly", SdpMediaDirection.ReceiveOnly)]
    [InlineData("recvonly", SdpMediaDirection.SendOnly)]
    [InlineData("inactive", SdpMediaDirection.Inactive)]
    [InlineData("sendrecv", SdpMediaDirection.SendReceive)]
    public void Direction_IsAnsweredPerRfc3264(string offered, SdpMediaDirection answered)
    {
        var result = NewNegotiator().CreateAnswer(Offer($"m=audio 5000 RTP/AVP 0\r\na={offered}\r\n"));

        Assert.Equal(answered, result.Answer.MediaDescriptions[0].Direction);
        Assert.Equal(answered, result.Audio!.LocalDirection);
    }

    [Fact]
    public void SendOnlyHoldReOffer_IsAnsweredRecvOnly()
    {
        var negotiator = NewNegotiator();
        negotiator.CreateAnswer(Parse(SdpFixtures.Baresip));

        var result = negotiator.CreateAnswer(Parse(SdpFixtures.HoldWithSendOnly));

        Assert.Equal(SdpMediaDirection.ReceiveOnly, result.Answer.MediaDescriptions[0].Direction);
        Assert.True(result.Audio!.RemoteOnHold);
        Assert.Equal(2UL, result.Answer.Origin.SessionVersion);
    }

    [Fact]
    public void NullAddressHoldReOffer_IsAnsweredRecvOnly()
    {
        var result = NewNegotiator().CreateAnswer(Parse(SdpFixtures.HoldWithNullAddress));

        Assert.Equal(SdpMediaDirection.ReceiveOnly, result.Answer.MediaDescriptions[0].Direction);
        Assert.True(result.Audio!.RemoteOnHold);
        Assert.Equal(SdpMediaDirection.SendOnly, result.Audio.RemoteDirection);
        Assert.False(result.Audio.LocalDirection.CanSend());
        Assert.Null(result.Audio.RemoteRtpEndPoint);
    }

    [Fact]
    public void LocalHold_WhenAnswering_IsSendOnly()
    {
        var result = NewNegotiator().CreateAnswer(Parse(SdpFixtures.Baresip), SdpMediaDirection.SendOnly);

        Assert.Equal(SdpMediaDirection.SendOnly, result.Answer.MediaDescriptions[0].Direction);
    }

    [Fact]
    public void IPv6Offer_IsAnsweredFromTheIPv6Address()
    {
        var negotiator = new SdpAudioNegotiator(
            new SdpAudioNegotiatorOptions(_local, 40000) { AlternateAddress = IPAddress.Parse("2001:db8::5") }, 1);

        var result = negotiator.CreateAnswer(Parse(SdpFixtures.IPv6));

        Assert.Equal(new SdpConnection("IN", "IP6", "2001:db8::5"), result.Answer.Connection);
        Assert.Equal(["9", "101"], result.Answer.MediaDescriptions[0].Formats);
        var audio = result.Audio!;
        Assert.Equal(new IPEndPoint(IPAddress.Parse("2001:db8::10"), 30000), audio.RemoteRtpEndPoint);
        Assert.Equal("2001:db8::11", audio.RemoteRtcpAddress);
        Assert.Equal(30011, audio.RemoteRtcpPort);
    }

    [Fact]
    public void IPv6Offer_WithoutIPv6Address_IsAnsweredFromTheMainAddress()
    {
        var result = NewNegotiator().CreateAnswer(Parse(SdpFixtures.IPv6));

        Assert.Equal("IP4", result.Answer.Connection!.AddressType);
    }

    [Fact]
    public void RtcpMux_IsAcceptedWhenOffered()
    {
        var result = NewNegotiator().CreateAnswer(Offer("m=audio 5000 RTP/AVP 0\r\na=rtcp:5001\r\na=rtcp-mux\r\n"));

        Assert.True(result.Answer.MediaDescriptions[0].HasRtcpMux);
        Assert.True(result.Audio!.RtcpMux);
        Assert.Equal(5000, result.Audio.RemoteRtcpPort);
    }

    [Fact]
    public void RtcpMux_IsDeclinedWhenDisabledLocally()
    {
        var negotiator = new SdpAudioNegotiator(new SdpAudioNegotiatorOptions(_local, 40000) { RtcpMux = false }, 1);

        var result = negotiator.CreateAnswer(Offer("m=audio 5000 RTP/AVP 0\r\na=rtcp-mux\r\n"));

        Assert.False(result.Answer.MediaDescriptions[0].HasRtcpMux);
        Assert.Equal(5001, result.Audio!.RemoteRtcpPort);
    }

    [Fact]
    public void OfferWithoutPtime_IsAnsweredWithoutPtime()
    {
        var result = NewNegotiator().CreateAnswer(Parse(SdpFixtures.Linphone));

        Assert.Null(result.Answer.MediaDescriptions[0].Ptime);
    }

    [Fact]
    public void AlreadyDisabledStream_StaysDisabled()
    {
        var result = NewNegotiator().CreateAnswer(Offer("m=audio 0 RTP/AVP 0\r\nm=audio 5002 RTP/AVP 0\r\n"));

        Assert.Equal([0, 40000], result.Answer.MediaDescriptions.Select(m => m.Port));
    }

    private static SdpAudioNegotiatorOptions Options() => new(_local, 40000);

    private static SdpAudioNegotiator NewNegotiator() => new(Options(), sessionId: 4242);

    private static SessionDescription Offer(string media) =>
        Parse("v=0\r\no=- 77 77 IN IP4 198.51.100.7\r\ns=-\r\nc=IN IP4 198.51.100.7\r\nt=0 0\r\n" + media);

    private static SessionDescription Parse(string text)
    {
        Assert.True(SessionDescription.TryParse(text, out var sdp, out var error), error);
        return sdp;
    }
}
