using System.Text;
using CallSwitch.Sip.Messages;
using CallSwitch.Sip.Parsing;

namespace CallSwitch.Sip.Tests.Parsing;

/// <summary>
/// The parser reads the head in one pass (line ends, the empty line, control bytes and the
/// header index together): the framing and the order of the errors are those of the RFC's
/// checks one after the other, and the compact header index still gives names and values back.
/// </summary>
public class SipMessageParserSinglePassTests
{
    private static readonly SipMessageParser Parser = new();

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public void AnEmptyLfLineEndsTheHeadAfterACrLfLine()
    {
        SipMessage message = Parser.Parse(Bytes("OPTIONS sip:a@b SIP/2.0\r\nCall-ID: c1\r\nContent-Length: 4\r\n\nbody"));

        Assert.Equal("c1", message.CallId);
        Assert.Equal("body", message.BodyText);
    }

    [Fact]
    public void AnEmptyCrLfLineAfterABareLfLineIsAMalformedHeaderNotTheEnd()
    {
        // "LF CRLF" is not an empty line (neither CRLF CRLF nor LF LF): the CRLF that follows is.
        Assert.False(Parser.TryParse(Bytes("OPTIONS sip:a@b SIP/2.0\r\nCall-ID: c1\n\r\n\r\n"), out _, out var error));

        Assert.Equal((400, "Header line without a name and colon"), (error.StatusCode, error.Reason));
        Assert.Equal("c1", error.Partial!.CallId);
    }

    [Fact]
    public void AHeadWithoutAnEmptyLineIsRefused()
    {
        Assert.False(Parser.TryParse(Bytes("OPTIONS sip:a@b SIP/2.0\r\nCall-ID: c1\r\n"), out _, out var error));

        Assert.Equal((400, "No empty line after the headers"), (error.StatusCode, error.Reason));
    }

    [Fact]
    public void TheHeadSizeIsJudgedBeforeItsBytes()
    {
        var parser = new SipMessageParser(new SipParserLimits { MaxHeadBytes = 64 });
        string head = "OPTIONS sip:a@b SIP/2.0\r\nX-A: 1\rx\r\n" + new string('X', 80) + ": y\r\n\r\n";

        Assert.False(parser.TryParse(Bytes(head), out _, out var error));

        Assert.Equal(513, error.StatusCode);
    }

    [Fact]
    public void WhiteSpaceBeforeTheColonIsNotPartOfTheName()
    {
        SipMessage message = Parser.Parse(Bytes("OPTIONS sip:a@b SIP/2.0\r\nSubject \t: hello\r\nX-Campaign  : c9\r\nl: 0\r\n\r\n"));

        Assert.Equal(HeaderId.Subject, message.Headers.IdAt(0));
        Assert.Equal("X-Campaign", message.Headers.NameAt(1));
        Assert.Equal("c9", message.Headers["x-campaign"]);
        Assert.Equal("hello", message.Headers[HeaderId.Subject]);
    }

    [Fact]
    public void MoreHeadersThanTheFirstScratchArrayAreAllIndexed()
    {
        var text = new StringBuilder("OPTIONS sip:a@b SIP/2.0\r\n");
        for (int i = 0; i < 100; i++)
        {
            text.Append("X-H").Append(i).Append(": v").Append(i).Append("\r\n");
        }

        SipMessage message = Parser.Parse(Bytes(text.Append("l: 0\r\n\r\n").ToString()));

        Assert.Equal(101, message.Headers.Count);
        Assert.Equal("v99", message.Headers["X-H99"]);
        Assert.Equal("X-H0", message.Headers.NameAt(0));
    }

    [Fact]
    public void AFoldedHeaderKeepsItsWholeValue()
    {
        SipMessage message = Parser.Parse(Bytes("OPTIONS sip:a@b SIP/2.0\r\nSubject: one\r\n  two\r\n\tthree\r\nl: 0\r\n\r\n"));

        Assert.Equal("one two three", message.Headers[HeaderId.Subject]);
        Assert.Equal(2, message.Headers.Count);
    }

    [Fact]
    public void ReplacedAndAddedUnknownHeadersKeepTheirNamesWhenWritten()
    {
        SipMessage message = Parser.Parse(Bytes("OPTIONS sip:a@b SIP/2.0\r\nX-Old : 1\r\nl: 0\r\n\r\n"));

        message.Headers.ReplaceAt(0, "2");
        message.Headers.Add("X-New", "3");
        message.Headers.ReplaceAt(2, "4");
        string written = Encoding.UTF8.GetString(message.ToBytes());

        Assert.Contains("X-Old: 2\r\n", written, StringComparison.Ordinal);
        Assert.Contains("X-New: 4\r\n", written, StringComparison.Ordinal);
        Assert.Equal("X-New", message.Headers.NameAt(2));
    }

    [Fact]
    public async Task AParseOnAnotherThreadDoesNotSeeThisThreadsHeaders()
    {
        SipMessage first = Parser.Parse(Bytes("OPTIONS sip:a@b SIP/2.0\r\nCall-ID: here\r\nl: 0\r\n\r\n"));
        SipMessage second = await Task.Run(() => Parser.Parse(Bytes("OPTIONS sip:a@b SIP/2.0\r\nCall-ID: there\r\nl: 0\r\n\r\n")));
        SipMessage third = Parser.Parse(Bytes("OPTIONS sip:a@b SIP/2.0\r\nSubject: s\r\nCall-ID: again\r\nl: 0\r\n\r\n"));

        Assert.Equal(("here", "there", "again"), (first.CallId, second.CallId, third.CallId));
        Assert.Equal(2, first.Headers.Count);
    }
}
