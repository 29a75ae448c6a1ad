using System.Text;
using CallSwitch.Sip.Messages;
using CallSwitch.Sip.Parsing;

namespace CallSwitch.Sip.Tests.Parsing;

/// <summary>Parser fixes found by the RFC 4475 messages and the fuzzer.</summary>
public class SipMessageParserHardeningTests
{
    private static readonly SipMessageParser Parser = new();

    private const string Via = "Via: SIP/2.0/UDP 127.0.0.1:5099;branch=z9hG4bKh1\r\n";

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public void NulIsAcceptedOnlyAsAQuotedPair()
    {
        // RFC 3261 §25.1 quoted-pair allows %x00; RFC 4475 §3.1.1.2 relies on it.
        var ok = Parser.Parse(Bytes("OPTIONS sip:a@b SIP/2.0\r\n" + Via + "To: \"x\\\0y\" <sip:a@b>\r\nl: 0\r\n\r\n"));
        Assert.Equal("x\0y", ok.To!.DisplayName);

        Assert.False(Parser.TryParse(Bytes("OPTIONS sip:a@b SIP/2.0\r\n" + Via + "To: \"x\0y\" <sip:a@b>\r\nl: 0\r\n\r\n"), out _, out var error));
        Assert.Equal((400, "NUL byte in the message head"), (error.StatusCode, error.Reason));
    }

    [Theory]
    [InlineData("OPTIONS sip:a@b SIP/2.0\r\nX-A: 1\rX-B: 2\r\nl: 0\r\n\r\n")]
    [InlineData("OPTIONS sip:a@b\r SIP/2.0\r\nl: 0\r\n\r\n")]
    public void BareCarriageReturnIsRefused(string text)
    {
        Assert.False(Parser.TryParse(Bytes(text), out _, out var error));
        Assert.Equal((400, "Bare CR in the message head"), (error.StatusCode, error.Reason));
    }

    [Fact]
    public void MalformedHeaderLineStillYieldsAnAnswerablePartialRequest()
    {
        string text = "INVITE sip:a@127.0.0.1 SIP/2.0\r\n" + Via + "To: <sip:a@127.0.0.1>\r\nBroken Header Line\r\n" +
            "From: <sip:b@127.0.0.1>;tag=9\r\nCall-ID: c1\r\nCSeq: 7 INVITE\r\nl: 0\r\n\r\n";
        Assert.False(Parser.TryParse(Bytes(text), out _, out var error));

        Assert.Equal(400, error.StatusCode);
        var partial = Assert.IsType<SipRequest>(error.Partial);
        Assert.Equal("c1", partial.CallId);
        Assert.True(SipResponseFactory.TryCreateResponse(error, out var response, toTag: "t1"));
        Assert.Equal("t1", response.To!.Tag);
        Assert.Equal(new CSeqHeader(7, SipMethods.Invite), response.CSeq);
        Assert.Equal("z9hG4bKh1", response.TopVia!.Branch);
    }

    [Theory]
    [InlineData(" folded: first\r\nVia: SIP/2.0/UDP h\r\n", "Continuation line before any header")]
    [InlineData("Bad[Name]: x\r\n", "Header name is not a token")]
    [InlineData(": no name\r\n", "Header line without a name and colon")]
    public void MalformedHeaderLinesAreNamed(string line, string reason)
    {
        Assert.False(Parser.TryParse(Bytes("OPTIONS sip:a@b SIP/2.0\r\n" + line + "l: 0\r\n\r\n"), out _, out var error));
        Assert.Equal((400, reason), (error.StatusCode, error.Reason));
    }

    [Fact]
    public void AckIsNeverAnsweredEvenWhenBroken()
    {
        string text = "ACK sip:a@b SIP/7.0\r\n" + Via + "l: 0\r\n\r\n";
        Assert.False(Parser.TryParse(Bytes(text), out _, out var error));
        Assert.Equal(505, error.StatusCode);
        Assert.False(SipResponseFactory.TryCreateResponse(error, out _));
    }

    [Fact]
    public void ResponseWithoutViaCannotBeAnsweredButParses()
    {
        var response = Assert.IsType<SipResponse>(Parser.Parse(Bytes("SIP/2.0 200 OK\r\nl: 0\r\n\r\n")));
        var result = SipResponseValidator.Validate(response);
        Assert.False(result.IsValid);
        Assert.False(result.CanRespond);
        Assert.Equal("Missing Via", result.Reason);
    }
}
