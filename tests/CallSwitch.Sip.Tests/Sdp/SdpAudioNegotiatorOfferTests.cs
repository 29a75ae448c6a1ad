using System.Net;
using CallSwitch.Sip.Sdp;

namespace CallSwitch.Sip.Tests.Sdp;

public sealed class SdpAudioNegotiatorOfferTests
{
    private static readonly IPAddress _local = IPAddress.Parse("203.0.113.5");

    [Fact]
    public void InitialOffer_ListsOurCodecsInPreferenceOrderWithOneTelephoneEventPerRate()
    {
        var offer = NewNegotiator().CreateOffer();

        Assert.Equal(
            "v=0\r\n"
            + "o=- 4242 1 IN IP4 203.0.113.5\r\n"
            + "s=-\r\n"
            + "c=IN IP4 203.0.113.5\r\n"
            + "t=0 0\r\n"
            + "m=audio 40000 RTP/AVP 0 8 9 111 101 96\r\n"
            + "a=rtpmap:0 PCMU/8000\r\n"
            + "a=rtpmap:8 PCMA/8000\r\n"
            + "a=rtpmap:9 G722/8000\r\n"
            + "a=rtpmap:111 opus/48000/2\r\n"
            + "a=rtpmap:101 telephone-event/8000\r\n"
            + "a=fmtp:101 0-16\r\n"
            + "a=rtpmap:96 telephone-event/48000\r\n"
            + "a=fmtp:96 0-16\r\n"
            + "a=rtcp-mux\r\n"
            + "a=sendrecv\r\n",
            offer.ToString());
    }

    [Fact]
    public void EachNewOffer_IncrementsTheVersionAndKeepsTheSessionId()
    {
        var negotiator = NewNegotiator();

        var first = negotiator.CreateOffer();
        var second = negotiator.CreateOffer(SdpMediaDirection.SendOnly);
        var third = negotiator.CreateOffer();

        Assert.Equal([1UL, 2UL, 3UL], new[] { first, second, third }.Select(o => o.Origin.SessionVersion));
        Assert.All(new[] { first, second, third }, o => Assert.Equal(4242UL, o.Origin.SessionId));
        Assert.Equal(3UL, negotiator.SessionVersion);
        Assert.Same(third, negotiator.LastLocalDescription);
    }

    [Fact]
    public void RandomSessionId_IsStableForTheNegotiator()
    {
        var negotiator = new SdpAudioNegotiator(new SdpAudioNegotiatorOptions(_local, 40000));

        Assert.NotEqual(0UL, negotiator.SessionId);
        Assert.Equal(negotiator.SessionId, negotiator.CreateOffer().Origin.SessionId);
        Assert.Equal(negotiator.SessionId, negotiator.CreateOffer().Origin.SessionId);
    }

    [Fact]
    public void HoldOffer_IsSendOnly()
    {
        var offer = NewNegotiator().CreateOffer(SdpMediaDirection.SendOnly);

        Assert.Equal(SdpMediaDirection.SendOnly, offer.MediaDescriptions[0].Direction);
        Assert.True(offer.IsOnHold(offer.MediaDescriptions[0]));
    }

    [Fact]
    public void PtimeOption_IsOffered()
    {
        var negotiator = new SdpAudioNegotiator(new SdpAudioNegotiatorOptions(_local, 40000) { Ptime = 20, RtcpMux = false }, 1);

        var audio = negotiator.CreateOffer().MediaDescriptions[0];

        Assert.Equal(20, audio.Ptime);
        Assert.False(audio.HasRtcpMux);
    }

    [Fact]
    public void ReOfferAfterAnsweringVideo_KeepsTheRefusedVideoLine()
    {
        var negotiator = NewNegotiator();
        negotiator.CreateAnswer(Parse(SdpFixtures.AudioAndVideo));

        var reOffer = negotiator.CreateOffer(SdpMediaDirection.SendOnly);

        Assert.Equal(2, reOffer.MediaDescriptions.Count);
        Assert.Equal(40000, reOffer.MediaDescriptions[0].Port);
        Assert.Equal("video", reOffer.MediaDescriptions[1].Media);
        Assert.Equal(0, reOffer.MediaDescriptions[1].Port);
        Assert.Equal(2UL, reOffer.Origin.SessionVersion);
    }

    [Fact]
    public void ReOfferAfterAnsweringAudioInSecondPosition_KeepsItThere()
    {
        var negotiator = NewNegotiator();
        var offer = Parse("v=0\r\no=- 7 7 IN IP4 198.51.100.7\r\ns=-\r\nc=IN IP4 198.51.100.7\r\nt=0 0\r\n"
            + "m=video 6000 RTP/AVP 31\r\nm=audio 5000 RTP/AVP 0\r\n");
        negotiator.CreateAnswer(offer);

        var reOffer = negotiator.CreateOffer();

        Assert.Equal(["video", "audio"], reOffer.MediaDescriptions.Select(m => m.Media));
        Assert.Equal([0, 40000], reOffer.MediaDescriptions.Select(m => m.Port));
    }

    [Fact]
    public void ReOfferAfterAnsweringLinphone_KeepsTheOfferersDynamicPayloadTypes()
    {
        var negotiator = NewNegotiator();
        negotiator.CreateAnswer(Parse(SdpFixtures.Linphone));

        var audio = negotiator.CreateOffer().MediaDescriptions[0];

        // opus stays 96 and telephone-event/48000 stays 101 (RFC 3264 §8.3.2); /8000 gets a free number.
        Assert.True(audio.TryGetRtpMap(96, out var opus));
        Assert.Equal("opus", opus.EncodingName);
        Assert.True(audio.TryGetRtpMap(101, out var events48k));
        Assert.Equal(48000, events48k.ClockRate);
        Assert.Equal(audio.Formats.Count, audio.Formats.Distinct().Count());
        Assert.Single(audio.GetPayloadFormats(), f => f.IsTelephoneEvent && f.ClockRate == 8000);
    }

    [Fact]
    public void OfferToLinphoneStyleAnswerer_IsUnderstoodByAnotherNegotiator()
    {
        // Two of our own legs talking to each other: A offers, B answers with its own preference, A processes.
        var alice = NewNegotiator();
        var bob = new SdpAudioNegotiator(
            new SdpAudioNegotiatorOptions(IPAddress.Parse("198.51.100.9"), 50000) { Codecs = [AudioCodec.Opus, AudioCodec.TelephoneEvent] }, 9);

        var offer = Parse(alice.CreateOffer().ToString());
        var answer = Parse(bob.CreateAnswer(offer).Answer.ToString());

        Assert.True(alice.TryProcessAnswer(answer, out var audio, out var error), error);
        Assert.Equal(new SdpRtpMap(111, "opus", 48000, 2), audio.Codec);
        Assert.Equal(96, audio.TelephoneEventPayloadType);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("198.51.100.9"), 50000), audio.RemoteRtpEndPoint);
        Assert.True(audio.RtcpMux);
        Assert.Equal(50000, audio.RemoteRtcpPort);
        Assert.Equal(SdpMediaDirection.SendReceive, audio.LocalDirection);
        Assert.Same(audio, alice.Audio);
        Assert.False(alice.HasPendingOffer);
    }

    [Fact]
    public void ProcessAnswer_ReadsABaresipStyleAnswer()
    {
        var negotiator = NewNegotiator();
        negotiator.CreateOffer();
        var answer = Parse("v=0\r\no=- 1709831034 3153258316 IN IP4 192.168.1.23\r\ns=-\r\nc=IN IP4 192.168.1.23\r\nt=0 0\r\n"
            + "m=audio 45286 RTP/AVP 8 101\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15\r\n"
            + "a=ptime:20\r\na=rtcp:45299\r\n");

        Assert.True(negotiator.TryProcessAnswer(answer, out var audio, out var error), error);
        Assert.Equal(new SdpRtpMap(8, "PCMA", 8000), audio.Codec);
        Assert.Equal(101, audio.TelephoneEventPayloadType);
        Assert.Equal(45286, audio.RemotePort);
        Assert.Equal(45299, audio.RemoteRtcpPort);
        Assert.False(audio.RtcpMux);
        Assert.Equal(20, audio.Ptime);
        Assert.Equal(0, audio.MediaIndex);
    }

    [Fact]
    public void ProcessAnswer_ToOurHoldOffer()
    {
        var negotiator = NewNegotiator();
        negotiator.CreateOffer(SdpMediaDirection.SendOnly);

        Assert.True(negotiator.TryProcessAnswer(Answer("m=audio 45286 RTP/AVP 0\r\na=recvonly\r\n"), out var audio, out var error), error);
        Assert.Equal(SdpMediaDirection.SendOnly, audio.LocalDirection);
        Assert.Equal(SdpMediaDirection.ReceiveOnly, audio.RemoteDirection);
    }

    [Fact]
    public void ProcessAnswer_WithNullAddress_StopsUsFromSending()
    {
        var negotiator = NewNegotiator();
        negotiator.CreateOffer();
        var answer = Parse("v=0\r\no=- 1 2 IN IP4 192.168.1.23\r\ns=-\r\nc=IN IP4 0.0.0.0\r\nt=0 0\r\nm=audio 45286 RTP/AVP 0\r\n");

        Assert.True(negotiator.TryProcessAnswer(answer, out var audio, out var error), error);
        Assert.Equal(SdpMediaDirection.ReceiveOnly, audio.LocalDirection);
        Assert.True(audio.RemoteOnHold);
    }

    [Fact]
    public void ProcessAnswer_UsesTheAnswerersNumberForAKnownCodec()
    {
        var negotiator = NewNegotiator();
        negotiator.CreateOffer();

        // RFC 3264 §6.1 only says SHOULD reuse our numbers: match by name and rate, send with theirs.
        Assert.True(negotiator.TryProcessAnswer(Answer("m=audio 45286 RTP/AVP 120\r\na=rtpmap:120 OPUS/48000/2\r\n"), out var audio, out var error), error);
        Assert.Equal(120, audio.Codec.PayloadType);
    }

    [Theory]
    [InlineData("m=audio 0 RTP/AVP 0\r\n", "refused the audio stream")]
    [InlineData("m=audio 45286 RTP/AVP 3\r\n", "no codec that was offered")]
    [InlineData("m=audio 45286 RTP/AVP 0\r\nm=video 0 RTP/AVP 31\r\n", "the answer has 2 m= lines but the offer had 1")]
    [InlineData("m=video 45286 RTP/AVP 31\r\n", "not the offered audio stream")]
    [InlineData("m=audio 45286 RTP/SAVP 0\r\n", "not the offered audio stream")]
    public void ProcessAnswer_RefusesAnswersThatDoNotFitTheOffer(string media, string expected)
    {
        var negotiator = NewNegotiator();
        negotiator.CreateOffer();

        Assert.False(negotiator.TryProcessAnswer(Answer(media), out var audio, out var error));
        Assert.Null(audio);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.False(negotiator.HasPendingOffer);
    }

    [Fact]
    public void ProcessAnswer_WithoutConnection_IsRefused()
    {
        var negotiator = NewNegotiator();
        negotiator.CreateOffer();
        var answer = Parse("v=0\r\no=- 1 2 IN IP4 192.168.1.23\r\ns=-\r\nt=0 0\r\nm=audio 45286 RTP/AVP 0\r\n");

        Assert.False(negotiator.TryProcessAnswer(answer, out _, out var error));
        Assert.Contains("no connection address", error, StringComparison.Ordinal);
    }

    [Fact]
    public void ProcessAnswer_WithoutOffer_IsRefused()
    {
        Assert.False(NewNegotiator().TryProcessAnswer(Answer("m=audio 45286 RTP/AVP 0\r\n"), out _, out var error));
        Assert.Equal("no offer is outstanding", error);
    }

    [Fact]
    public void FailedAnswer_KeepsThePreviousNegotiatedStream()
    {
        var negotiator = NewNegotiator();
        negotiator.CreateOffer();
        Assert.True(negotiator.TryProcessAnswer(Answer("m=audio 45286 RTP/AVP 0\r\n"), out var first, out _));
        negotiator.CreateOffer(SdpMediaDirection.SendOnly);

        Assert.False(negotiator.TryProcessAnswer(Answer("m=audio 0 RTP/AVP 0\r\n"), out _, out _));
        Assert.Same(first, negotiator.Audio);
    }

    private static SdpAudioNegotiator NewNegotiator() => new(new SdpAudioNegotiatorOptions(_local, 40000), sessionId: 4242);

    private static SessionDescription Answer(string media) =>
        Parse("v=0\r\no=- 1 2 IN IP4 192.168.1.23\r\ns=-\r\nc=IN IP4 192.168.1.23\r\nt=0 0\r\n" + media);

    private static SessionDescription Parse(string text)
    {
        Assert.True(SessionDescription.TryParse(text, out var sdp, out var error), error);
        return sdp;
    }
}
