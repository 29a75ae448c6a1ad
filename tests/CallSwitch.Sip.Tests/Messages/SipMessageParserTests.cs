using System.Text;
using CallSwitch.Sip.Messages;
using CallSwitch.Sip.Parsing;

namespace CallSwitch.Sip.Tests.Messages;

public class SipMessageParserTests
{
    private static readonly SipMessageParser Parser = new();

    internal const string Invite =
        "INVITE sip:+33612345678@trunk.example.com;user=phone SIP/2.0\r\n" +
        "Via: SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bK776asdhds;rport\r\n" +
        "v: SIP/2.0/TCP proxy.example.com;branch=z9hG4bKnashds8 , SIP/2.0/UDP [2001:db8::9]:5070;branch=z9hG4bK1\r\n" +
        "Max-Forwards: 70\r\n" +
        "To: <sip:+33612345678@trunk.example.com;user=phone>\r\n" +
        "From: \"Agent \\\"One\\\"\" <sip:1001@callswitch.example>;tag=1928301774\r\n" +
        "i: a84b4c76e66710@pc33.example.com\r\n" +
        "CSeq: 314159 INVITE\r\n" +
        "Contact: <sip:1001@10.0.0.5:5060;transport=udp>;expires=3600\r\n" +
        "Subject: a long\r\n" +
        " folded\r\n" +
        "\tsubject\r\n" +
        "X-Campaign: spring-2026\r\n" +
        "Content-Type: application/sdp\r\n" +
        "Content-Length: 4\r\n" +
        "\r\n" +
        "v=0\n";

    [Fact]
    public void ParsesRequestLineAndKnownHeaders()
    {
        var request = Assert.IsType<SipRequest>(Parser.Parse(Encoding.UTF8.GetBytes(Invite)));

        Assert.Same(SipMethods.Invite, request.Method);
        Assert.Equal("sip:+33612345678@trunk.example.com;user=phone", request.RequestUri);
        var uri = Assert.IsType<SipUri>(request.Uri);
        Assert.Equal("+33612345678", uri.User);
        Assert.Equal("phone", uri.Parameters.Get("user"));
        Assert.Equal("a84b4c76e66710@pc33.example.com", request.CallId);
        Assert.Equal(new CSeqHeader(314159, "INVITE"), request.CSeq);
        Assert.Equal(70, request.MaxForwards);
        Assert.Equal("Agent \"One\"", request.From!.DisplayName);
        Assert.Equal("1928301774", request.From.Tag);
        Assert.Null(request.To!.Tag);
        Assert.Equal("a long folded subject", request.Headers[HeaderId.Subject]);
        Assert.Equal("spring-2026", request.Headers["x-campaign"]);
        Assert.Equal("v=0\n", Encoding.UTF8.GetString(request.Body.Span));
        Assert.Equal("application/sdp", request.ContentType);
    }

    [Fact]
    public void SplitsViasAcrossLinesAndCommas()
    {
        var request = Parser.Parse(Encoding.UTF8.GetBytes(Invite));
        var vias = request.GetVias();

        Assert.Equal(3, vias.Count);
        Assert.Equal("UDP", vias[0].Transport);
        Assert.True(vias[0].HasRPort);
        Assert.Null(vias[0].RPort);
        Assert.Equal("z9hG4bKnashds8", vias[1].Branch);
        Assert.Equal("[2001:db8::9]", vias[2].Host);
        Assert.Equal(5070, vias[2].Port);
        Assert.Equal("z9hG4bK776asdhds", request.TopVia!.Branch);
    }

    [Fact]
    public void RewritesUnchangedMessageByteForByte()
    {
        byte[] wire = Encoding.UTF8.GetBytes(Invite);
        var request = Parser.Parse(wire);

        Assert.Equal(Invite, Encoding.UTF8.GetString(request.ToBytes()));
    }

    [Fact]
    public void WritesChangedHeadersInCanonicalFormAndKeepsTheRest()
    {
        var request = Parser.Parse(Encoding.UTF8.GetBytes(Invite));
        request.Headers.AddFirst(HeaderId.Via, "SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKnew");
        request.Headers.Set(HeaderId.MaxForwards, "69");
        string text = request.ToString();

        Assert.StartsWith("INVITE sip:+33612345678@trunk.example.com;user=phone SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKnew\r\nVia: SIP/2.0/UDP 10.0.0.5", text);
        Assert.Contains("Max-Forwards: 69\r\n", text);
        Assert.Contains("i: a84b4c76e66710@pc33.example.com\r\n", text);
        Assert.Contains("Subject: a long\r\n folded\r\n\tsubject\r\n", text);
        var again = Parser.Parse(Encoding.UTF8.GetBytes(text));
        Assert.Equal(4, again.GetVias().Count);
    }

    [Fact]
    public void ParsesResponseWithEmptyReason()
    {
        const string text = "SIP/2.0 180 \r\nVia: SIP/2.0/UDP 127.0.0.1;branch=z9hG4bK1\r\nContent-Length: 0\r\n\r\n";
        var response = Assert.IsType<SipResponse>(Parser.Parse(Encoding.UTF8.GetBytes(text)));

        Assert.Equal(180, response.StatusCode);
        Assert.Equal(string.Empty, response.ReasonPhrase);
        Assert.True(response.IsProvisional);
    }

    [Theory]
    [InlineData("INVITE sip:a@b SIP/2.0\r\nContent-Length: 10\r\n\r\nabc", 400)]
    [InlineData("INVITE sip:a@b SIP/2.0\r\nContent-Length: -1\r\n\r\n", 400)]
    [InlineData("INVITE sip:a@b SIP/7.0\r\nContent-Length: 0\r\n\r\n", 505)]
    [InlineData("INVITE sip:a@b SIP/2.0\r\nBad Header: x\r\n\r\n", 400)]
    [InlineData("INVITE sip:a@b SIP/2.0\r\nVia: x\r\n", 400)]
    [InlineData("SIP/2.0 1000 Big\r\n\r\n", 400)]
    [InlineData("\r\n\r\n", 400)]
    public void RefusesMalformedMessages(string text, int status)
    {
        Assert.False(Parser.TryParse(Encoding.UTF8.GetBytes(text), out _, out var error));
        Assert.Equal(status, error.StatusCode);
    }

    [Fact]
    public void CutsDatagramBodyToContentLength()
    {
        const string text = "MESSAGE sip:a@b SIP/2.0\r\nl: 3\r\n\r\nabcdef";
        var message = Parser.Parse(Encoding.UTF8.GetBytes(text));
        Assert.Equal("abc", message.BodyText);
    }

    [Fact]
    public void AcceptsBareLineFeeds()
    {
        const string text = "OPTIONS sip:a@b SIP/2.0\nCall-ID: x\nContent-Length: 0\n\n";
        var message = Parser.Parse(Encoding.UTF8.GetBytes(text));
        Assert.Equal("x", message.CallId);
    }
}
