using System.Text;
using CallSwitch.Sip.Messages;
using CallSwitch.Sip.Parsing;

namespace CallSwitch.Sip.Tests.Parsing;

/// <summary>Validator rules beyond the RFC 4475 messages, and the response factory.</summary>
public class SipRequestValidatorTests
{
    private static readonly SipMessageParser Parser = new();

    private static SipRequest Request(string method, string extra = "", string cseqMethod = "", string uri = "sip:a@127.0.0.1") =>
        Assert.IsType<SipRequest>(Parser.Parse(Encoding.UTF8.GetBytes(
            $"{method} {uri} SIP/2.0\r\n" +
            "Via: SIP/2.0/UDP 127.0.0.1:5099;branch=z9hG4bKv1\r\n" +
            "To: <sip:a@127.0.0.1>\r\nFrom: <sip:b@127.0.0.1>;tag=f1\r\nCall-ID: v1@127.0.0.1\r\n" +
            $"CSeq: 5 {(cseqMethod.Length > 0 ? cseqMethod : method)}\r\nMax-Forwards: 70\r\n" + extra + "Content-Length: 0\r\n\r\n")));

    [Theory]
    [InlineData("INVITE", "", 0)]
    [InlineData("OPTIONS", "Require: 100rel\r\n", 0)]
    [InlineData("INVITE", "Require: foo\r\n", 420)]
    [InlineData("CANCEL", "Require: foo\r\n", 0)]
    [InlineData("INVITE", "Accept: application/sdp;level=1, text/html\r\n", 0)]
    [InlineData("INVITE", "Accept: */*\r\n", 0)]
    [InlineData("INVITE", "Accept:\r\n", 406)]
    [InlineData("OPTIONS", "Max-Forwards: 0\r\n", 400)]
    [InlineData("REGISTER", "Contact: *\r\nExpires: 0\r\n", 0)]
    [InlineData("REGISTER", "Contact: *\r\n", 400)]
    [InlineData("INVITE", "Contact: *\r\n", 400)]
    [InlineData("INVITE", "Call-ID: second\r\n", 400)]
    [InlineData("INVITE", "Via: SIP/2.0/UDP 127.0.0.1;branch=\r\n", 400)]
    [InlineData("INVITE", "Via: SIP/2.0/UDP 127.0.0.1\r\n", 0)]
    public void AppliesRfc3261Section8Checks(string method, string extra, int status)
    {
        SipValidationResult result = new SipRequestValidator().Validate(Request(method, extra));
        Assert.Equal(status, result.StatusCode);
    }

    [Fact]
    public void ZeroMaxForwardsGets483ExceptForOptions()
    {
        SipRequest invite = Assert.IsType<SipRequest>(Parser.Parse(Encoding.UTF8.GetBytes(
            Encoding.UTF8.GetString(Request("INVITE").ToBytes()).Replace("Max-Forwards: 70", "Max-Forwards: 0", StringComparison.Ordinal))));
        Assert.Equal(483, new SipRequestValidator().Validate(invite).StatusCode);
        Assert.True(new SipRequestValidator(new SipValidatorOptions { RejectZeroMaxForwards = false }).Validate(invite).IsValid);
    }

    [Fact]
    public void KnownButNotAllowedMethodGets405WithAllow()
    {
        var validator = new SipRequestValidator(new SipValidatorOptions { AllowedMethods = new HashSet<string> { "INVITE", "ACK", "BYE", "CANCEL" } });
        SipValidationResult result = validator.Validate(Request("SUBSCRIBE"));
        Assert.Equal(405, result.StatusCode);
        Assert.Equal("INVITE, ACK, BYE, CANCEL", Assert.Single(result.ExtraHeaders).Value);
    }

    [Theory]
    [InlineData("tel:+15551234", 0)]
    [InlineData("sips:a@127.0.0.1", 0)]
    [InlineData("mailto:a@b", 416)]
    [InlineData("sip:a@127.0.0.1?x=y", 400)]
    [InlineData("sip:", 400)]
    public void ChecksRequestUriScheme(string uri, int status) =>
        Assert.Equal(status, new SipRequestValidator().Validate(Request("INVITE", uri: uri)).StatusCode);

    [Fact]
    public void RefusedAckIsNotAnswered()
    {
        SipValidationResult result = new SipRequestValidator().Validate(Request("ACK", cseqMethod: "INVITE"));
        Assert.Equal(400, result.StatusCode);
        Assert.False(result.CanRespond);
    }

    [Fact]
    public void BuiltRequestWithWrongContentLengthIsRefused()
    {
        var request = new SipRequest(SipMethods.Message, "sip:a@127.0.0.1");
        request.Headers.Add(HeaderId.Via, "SIP/2.0/UDP 127.0.0.1;branch=z9hG4bKb1");
        request.Headers.Add(HeaderId.To, "<sip:a@127.0.0.1>");
        request.Headers.Add(HeaderId.From, "<sip:b@127.0.0.1>;tag=1");
        request.Headers.Add(HeaderId.CallId, "built");
        request.Headers.Add(HeaderId.CSeq, "1 MESSAGE");
        request.SetBody(Encoding.UTF8.GetBytes("hi"), "text/plain");
        Assert.True(new SipRequestValidator().Validate(request).IsValid);

        request.Headers.Set(HeaderId.ContentLength, "3");
        Assert.Equal("Content-Length Mismatch", new SipRequestValidator().Validate(request).Reason);
    }

    [Fact]
    public void FactoryCopiesViasInOrderAndTagsToExceptOn100()
    {
        SipRequest request = Request("INVITE", "Via: SIP/2.0/TCP 127.0.0.2;branch=z9hG4bKv2\r\nTimestamp: 54\r\n");

        SipResponse trying = SipResponseFactory.CreateResponse(request, 100);
        Assert.Null(trying.To!.Tag);
        Assert.Equal("54", trying.Headers[HeaderId.Timestamp]);
        Assert.Equal("Trying", trying.ReasonPhrase);

        SipResponse busy = SipResponseFactory.CreateResponse(request, 486, "Busy\r\nX-Injected: 1", toTag: "b1");
        Assert.Equal(["z9hG4bKv1", "z9hG4bKv2"], busy.GetVias().Select(v => v.Branch));
        Assert.Equal("b1", busy.To!.Tag);
        Assert.Null(busy.Headers[HeaderId.Timestamp]);
        Assert.Equal("f1", busy.From!.Tag);
        Assert.Equal(new CSeqHeader(5, SipMethods.Invite), busy.CSeq);
        Assert.Equal(0, busy.ContentLength);
        var wire = Parser.Parse(busy.ToBytes());
        Assert.Equal(-1, wire.Headers.IndexOf("X-Injected"));
    }

    [Fact]
    public void FactoryKeepsAnExistingToTag()
    {
        SipRequest bye = Assert.IsType<SipRequest>(Parser.Parse(Encoding.UTF8.GetBytes(
            Encoding.UTF8.GetString(Request("BYE").ToBytes()).Replace("To: <sip:a@127.0.0.1>", "To: <sip:a@127.0.0.1>;tag=dlg", StringComparison.Ordinal))));
        Assert.Equal("dlg", SipResponseFactory.CreateResponse(bye, 200, toTag: "other").To!.Tag);
        Assert.Matches("^[0-9a-z]{12}$", SipIdentifiers.NewTag());
    }
}
