using System.Text;
using CallSwitch.Sip.Messages;
using CallSwitch.Sip.Parsing;

namespace CallSwitch.Sip.Tests.Parsing;

/// <summary>Each <see cref="SipParserLimits"/> bound is enforced, at its edge, with the right status.</summary>
public class SipParserLimitsTests
{
    private const string Head =
        "OPTIONS sip:a@127.0.0.1 SIP/2.0\r\n" +
        "Via: SIP/2.0/UDP 127.0.0.1:5099;branch=z9hG4bK1\r\n" +
        "To: <sip:a@127.0.0.1>\r\n" +
        "From: <sip:b@127.0.0.1>;tag=1\r\n" +
        "Call-ID: limits@127.0.0.1\r\n" +
        "CSeq: 1 OPTIONS\r\n";

    private static byte[] Message(string extraHeaders, string body = "") =>
        Encoding.ASCII.GetBytes(Head + extraHeaders + "Content-Length: " + body.Length + "\r\n\r\n" + body);

    [Fact]
    public void MaxMessageBytesRefusesWith513AtTheEdge()
    {
        byte[] fits = Message(string.Empty, new string('x', 100));
        var parser = new SipMessageParser(new SipParserLimits { MaxMessageBytes = fits.Length });

        Assert.True(parser.TryParse(fits, out _, out _));
        byte[] tooBig = Message(string.Empty, new string('x', 101));
        Assert.False(parser.TryParse(tooBig, out _, out var error));
        Assert.Equal(513, error.StatusCode);
    }

    [Fact]
    public void MaxHeadBytesRefusesWith513AtTheEdge()
    {
        byte[] fits = Message("X-Pad: " + new string('p', 200) + "\r\n");
        int head = fits.AsSpan().IndexOf("\r\n\r\n"u8) + 2;
        var parser = new SipMessageParser(new SipParserLimits { MaxHeadBytes = head });

        Assert.True(parser.TryParse(fits, out _, out _));
        Assert.False(parser.TryParse(Message("X-Pad: " + new string('p', 201) + "\r\n"), out _, out var error));
        Assert.Equal(513, error.StatusCode);
    }

    [Fact]
    public void HeadWithoutEndBeyondMaxHeadBytesIs513NotJustMalformed()
    {
        var parser = new SipMessageParser(new SipParserLimits { MaxHeadBytes = 300 });
        byte[] endless = Encoding.ASCII.GetBytes(Head + "X-Pad: " + new string('p', 400) + "\r\n");

        Assert.False(parser.TryParse(endless, out _, out var error));
        Assert.Equal(513, error.StatusCode);
        Assert.False(parser.TryParse(Encoding.ASCII.GetBytes(Head), out _, out var shortError));
        Assert.Equal(400, shortError.StatusCode);
    }

    [Fact]
    public void MaxHeaderCountCountsHeadersNotFoldedLines()
    {
        var parser = new SipMessageParser(new SipParserLimits { MaxHeaderCount = 20 });

        // The head has 5 headers and Content-Length is the 6th: 14 more make 20, each folded over 3 lines.
        string folded = string.Concat(Enumerable.Range(0, 14).Select(i => $"X-{i}: a\r\n b\r\n\tc\r\n"));
        var message = parser.Parse(Message(folded));
        Assert.Equal(20, message.Headers.Count);
        Assert.Equal("a b c", message.Headers["X-13"]);

        Assert.False(parser.TryParse(Message(folded + "X-Last: 1\r\n"), out _, out var error));
        Assert.Equal((400, "Too Many Headers"), (error.StatusCode, error.Reason));
    }

    [Fact]
    public void MaxHeaderLineBytesAppliesToSingleAndFoldedLines()
    {
        var parser = new SipMessageParser(new SipParserLimits { MaxHeaderLineBytes = 100 });
        string exact = "X-Pad: " + new string('p', 93) + "\r\n";
        Assert.True(parser.TryParse(Message(exact), out _, out _));

        Assert.False(parser.TryParse(Message("X-Pad: " + new string('p', 94) + "\r\n"), out _, out var error));
        Assert.Equal((400, "Header line too long"), (error.StatusCode, error.Reason));

        string folded = "X-Pad: " + new string('p', 50) + "\r\n " + new string('q', 50) + "\r\n";
        Assert.False(parser.TryParse(Message(folded), out _, out var foldedError));
        Assert.Equal("Header line too long", foldedError.Reason);
    }

    [Fact]
    public void DefaultsBoundAHundredKilobyteHeaderAndFiveThousandVias()
    {
        var parser = new SipMessageParser();
        Assert.False(parser.TryParse(Message("X-Huge: " + new string('h', 100_000) + "\r\n"), out _, out var huge));
        Assert.Equal(513, huge.StatusCode);

        string vias = string.Concat(Enumerable.Range(0, 5000).Select(i => "v: SIP/2.0/UDP 127.0.0.1\r\n"));
        Assert.False(parser.TryParse(Message(vias), out _, out var many));
        Assert.Equal(513, many.StatusCode);
        Assert.Equal(65_535, SipParserLimits.Default.MaxMessageBytes);
        Assert.Equal(128, SipParserLimits.Default.MaxHeaderCount);
    }
}
