using CallSwitch.Sip.Messages;
using CallSwitch.Sip.Parsing;
using static CallSwitch.Sip.Tests.Rfc4475.Rfc4475Corpus;

namespace CallSwitch.Sip.Tests.Rfc4475;

/// <summary>
/// RFC 4475 §3.1.2 (invalid messages): each is refused as the RFC describes, either by the
/// parser (with the status code and, when it can be routed, a partial request to answer) or
/// by the validator after a parse that must not break.
/// </summary>
public class Rfc4475InvalidMessageTests
{
    /// <summary>§3.1.2.1: empty Via and Contact parameters: 400.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Badinv01_ExtraneousSeparatorsGet400(bool original)
    {
        var (request, result) = ParseAndValidate("badinv01", original);

        Assert.Null(request.TopVia);
        Assert.Empty(request.GetContacts());
        AssertRefusal(request, result, 400);
        Assert.Equal("Malformed Via", result.Reason);
    }

    /// <summary>§3.1.2.2: Content-Length larger than the datagram: 400 over UDP.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Clerr_ContentLengthLargerThanMessageGets400(bool original)
    {
        SipParseError error = ParseError("clerr", original);

        Assert.Equal(400, error.StatusCode);
        var partial = Assert.IsType<SipRequest>(error.Partial);
        Assert.Same(SipMethods.Invite, partial.Method);
        Assert.True(SipResponseFactory.TryCreateResponse(error, out var response));
        Assert.Equal(400, response.StatusCode);
        Assert.Equal(partial.CallId, response.CallId);
        Assert.NotNull(response.To!.Tag);
    }

    /// <summary>§3.1.2.3: a negative Content-Length: 400.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Ncl_NegativeContentLengthGets400(bool original)
    {
        SipParseError error = ParseError("ncl", original);

        Assert.Equal(400, error.StatusCode);
        Assert.Contains("Content-Length", error.Reason, StringComparison.Ordinal);
        Assert.True(SipResponseFactory.TryCreateResponse(error, out var response));
        Assert.Equal(new CSeqHeader(0, SipMethods.Invite), response.CSeq);
    }

    /// <summary>§3.1.2.4: CSeq of 2**65: 400; the overlarge Max-Forwards and Expires do not break the parser.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Scalar02_OverlargeRequestScalarsGet400(bool original)
    {
        var (request, result) = ParseAndValidate("scalar02", original);

        Assert.Null(request.CSeq);
        Assert.Equal(300, request.MaxForwards);
        Assert.Null(request.Expires);
        Assert.Null(Assert.Single(request.GetContacts()).Expires);
        AssertRefusal(request, result, 400);
        Assert.Equal("CSeq Number Out Of Range", result.Reason);
    }

    /// <summary>§3.1.2.5: a response with overlarge CSeq, Retry-After and warn-code is discarded.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Scalarlg_OverlargeResponseScalarsAreDiscarded(bool original)
    {
        SipResponse response = ParseResponse("scalarlg", original);

        Assert.Equal(503, response.StatusCode);
        Assert.Null(response.CSeq);
        Assert.Equal("949302838503028349304023988", response.Headers[HeaderId.RetryAfter]);
        SipValidationResult result = SipResponseValidator.Validate(response);
        Assert.False(result.IsValid);
        Assert.False(result.CanRespond);
        Assert.Equal("CSeq Number Out Of Range", result.Reason);
    }

    /// <summary>§3.1.2.6: an unterminated quoted display name: 400.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Quotbal_UnterminatedQuotedStringGets400(bool original)
    {
        var (request, result) = ParseAndValidate("quotbal", original);

        Assert.Null(request.To);
        Assert.NotNull(request.From);
        SipResponse response = AssertRefusal(request, result, 400);
        Assert.Equal("Malformed To", result.Reason);

        // The broken To is echoed unchanged: a tag cannot repair it.
        Assert.Equal(request.Headers[HeaderId.To], response.Headers[HeaderId.To]);
    }

    /// <summary>§3.1.2.7: a Request-URI in angle brackets: 400.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Ltgtruri_BracketedRequestUriGets400(bool original)
    {
        var (request, result) = ParseAndValidate("ltgtruri", original);

        Assert.StartsWith("<sip:user@", request.RequestUri, StringComparison.Ordinal);
        Assert.Null(request.Uri);
        AssertRefusal(request, result, 400);
        Assert.Equal("Malformed Request-URI", result.Reason);
    }

    /// <summary>§3.1.2.8: LWS inside the Request-URI: 400 from the parser, still answerable.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Lwsruri_WhiteSpaceInRequestUriGets400(bool original)
    {
        SipParseError error = ParseError("lwsruri", original);

        Assert.Equal(400, error.StatusCode);
        Assert.True(SipResponseFactory.TryCreateResponse(error, out var response));
        Assert.Equal("3xfe-9921883-z9f", response.To!.Tag);
    }

    /// <summary>§3.1.2.9: several SPs between Request-Line elements: 400.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Lwsstart_MultipleSpacesInRequestLineGet400(bool original)
    {
        SipParseError error = ParseError("lwsstart", original);

        Assert.Equal(400, error.StatusCode);
        Assert.Equal("White space in the Request-URI", error.Reason);
        Assert.True(SipResponseFactory.TryCreateResponse(error, out var response));
        Assert.Equal(400, response.StatusCode);
    }

    /// <summary>§3.1.2.10: SP after the SIP-Version: 400.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Trws_TrailingSpaceInRequestLineGets400(bool original)
    {
        SipParseError error = ParseError("trws", original);

        Assert.Equal(400, error.StatusCode);
        Assert.IsType<SipRequest>(error.Partial);
    }

    /// <summary>§3.1.2.11: escaped headers in the Request-URI: 400 (RFC 3261 §19.1.1).</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Escruri_HeadersInRequestUriGet400(bool original)
    {
        var (request, result) = ParseAndValidate("escruri", original);

        var uri = Assert.IsType<SipUri>(request.Uri);
        Assert.StartsWith("Route=%3Csip:", uri.UriHeaders, StringComparison.Ordinal);
        AssertRefusal(request, result, 400);
        Assert.Equal("Headers In Request-URI", result.Reason);
    }

    /// <summary>§3.1.2.12: a non-GMT Date may be ignored (default) or refused with 400 (strict option).</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Baddate_NonGmtDateIsIgnoredOrRefused(bool original)
    {
        var (request, result) = ParseAndValidate("baddate", original);

        Assert.Equal("Fri, 01 Jan 2010 16:00:00 EST", request.Headers[HeaderId.Date]);
        Assert.True(result.IsValid, result.ToString());
        var strict = new SipRequestValidator(new SipValidatorOptions { RejectMalformedDate = true });
        AssertRefusal(request, strict.Validate(request), 400);
    }

    /// <summary>§3.1.2.13: a Contact URI with headers outside angle brackets: 400.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Regbadct_UnbracketedContactWithHeadersGets400(bool original)
    {
        var (request, result) = ParseAndValidate("regbadct", original);

        Assert.Empty(request.GetContacts());
        AssertRefusal(request, result, 400);
        Assert.Equal("Malformed Contact", result.Reason);
    }

    /// <summary>§3.1.2.14: spaces inside the angle brackets: 400.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Badaspec_SpacesInAddrSpecGet400(bool original)
    {
        var (request, result) = ParseAndValidate("badaspec", original);

        Assert.Null(request.To);
        Assert.Equal("Bell, Alexander", request.From!.DisplayName);
        AssertRefusal(request, result, 400);
    }

    /// <summary>§3.1.2.15: an unquoted display name with a comma: 400.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Baddn_NonTokenDisplayNameGets400(bool original)
    {
        var (request, result) = ParseAndValidate("baddn", original);

        Assert.Null(request.From);
        Assert.Null(request.To);
        AssertRefusal(request, result, 400);
        Assert.Equal("Malformed From", result.Reason);
    }

    /// <summary>§3.1.2.16: SIP/7.0: 505, answered.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Badvers_UnknownVersionGets505(bool original)
    {
        SipParseError error = ParseError("badvers", original);

        Assert.Equal(505, error.StatusCode);
        Assert.True(SipResponseFactory.TryCreateResponse(error, out var response));
        Assert.Equal(505, response.StatusCode);
        Assert.Equal("qweoiqpe", response.From!.Tag);
        Assert.NotNull(response.To!.Tag);
    }

    /// <summary>§3.1.2.17: OPTIONS with CSeq INVITE: 400.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Mismatch01_CSeqMethodMismatchGets400(bool original)
    {
        var (request, result) = ParseAndValidate("mismatch01", original);

        Assert.Same(SipMethods.Options, request.Method);
        Assert.Same(SipMethods.Invite, request.CSeq!.Value.Method);
        AssertRefusal(request, result, 400);
        Assert.Equal("CSeq Method Does Not Match Request Method", result.Reason);
    }

    /// <summary>§3.1.2.18: unknown method with a CSeq mismatch: 501 (400 would also do).</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Mismatch02_UnknownMethodWithCSeqMismatchGets501(bool original)
    {
        var (request, result) = ParseAndValidate("mismatch02", original);

        Assert.Equal("NEWMETHOD", request.Method);
        Assert.Equal(138, request.Body.Length);
        AssertRefusal(request, result, 501);
    }

    /// <summary>§3.1.2.19: a 10-digit status code: the response is refused and cannot be answered.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Bigcode_OverlargeResponseCodeIsRefused(bool original)
    {
        SipParseError error = ParseError("bigcode", original);

        Assert.Equal(400, error.StatusCode);
        Assert.Null(error.Partial);
        Assert.False(SipResponseFactory.TryCreateResponse(error, out _));
    }

    /// <summary>§3.2.1: a branch that is only the magic cookie: 400.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Badbranch_MagicCookieAloneGets400(bool original)
    {
        var (request, result) = ParseAndValidate("badbranch", original);

        Assert.Equal(ViaHeader.MagicCookie, request.TopVia!.Branch);
        AssertRefusal(request, result, 400);
        Assert.Equal("Malformed Via Branch", result.Reason);
    }
}
