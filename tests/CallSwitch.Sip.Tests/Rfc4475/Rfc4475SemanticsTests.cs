using System.Reflection;
using CallSwitch.Sip.Messages;
using CallSwitch.Sip.Parsing;
using static CallSwitch.Sip.Tests.Rfc4475.Rfc4475Corpus;

namespace CallSwitch.Sip.Tests.Rfc4475;

/// <summary>
/// RFC 4475 §3.3 (application-layer semantics): every message parses; the validator then
/// accepts it or answers as the RFC says. Also checks that the corpus and the tests line up.
/// </summary>
public class Rfc4475SemanticsTests
{
    /// <summary>§3.3.1: To, From, Call-ID (and Max-Forwards) missing: 400.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Insuf_MissingRequiredHeadersGet400(bool original)
    {
        var (request, result) = ParseAndValidate("insuf", original);

        Assert.Equal(400, result.StatusCode);
        Assert.Equal("Missing To, From, Call-ID", result.Reason);
        SipResponse response = SipResponseFactory.CreateResponse(request, result);
        Assert.Equal(request.Headers[HeaderId.CSeq], response.Headers[HeaderId.CSeq]);
        Assert.Null(response.Headers[HeaderId.To]);
    }

    /// <summary>§3.3.2: an unknown Request-URI scheme: 416.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Unkscm_UnknownRequestUriSchemeGets416(bool original)
    {
        var (request, result) = ParseAndValidate("unkscm", original);

        var uri = Assert.IsType<OtherUri>(request.Uri);
        Assert.Equal("nobodyknowsthisscheme", uri.Scheme);
        AssertRefusal(request, result, 416);
    }

    /// <summary>§3.3.3: a registered but atypical scheme parses; the switch does not serve it: 416.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Novelsc_AtypicalSchemeParsesAndGets416(bool original)
    {
        var (request, result) = ParseAndValidate("novelsc", original);

        var uri = Assert.IsType<OtherUri>(request.Uri);
        Assert.Equal("soap.beep", uri.Scheme);
        Assert.EndsWith(":3002", uri.Text, StringComparison.Ordinal);
        AssertRefusal(request, result, 416);
    }

    /// <summary>§3.3.4: non-SIP URIs in To, From, Contact parse; a registrar refuses a non-SIP AOR with 400.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Unksm2_UnknownSchemesInHeadersParseAndRegistrarRefuses(bool original)
    {
        var (request, result) = ParseAndValidate("unksm2", original);

        Assert.Equal("isbn", request.To!.Uri.Scheme);
        Assert.Equal("http", request.From!.Uri.Scheme);
        Assert.Equal("3234233", request.From.Tag);
        Assert.Equal("name", Assert.Single(request.GetContacts()).Address!.Uri.Scheme);
        AssertRefusal(request, result, 400);
        Assert.Equal("Address Of Record Must Be A SIP URI", result.Reason);
    }

    /// <summary>§3.3.5: unknown Require and Proxy-Require tags: 420 listing them in Unsupported.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Bext01_UnknownExtensionsGet420WithUnsupported(bool original)
    {
        var (request, result) = ParseAndValidate("bext01", original);

        SipResponse response = AssertRefusal(request, result, 420);
        Assert.Equal(
            ["nothingSupportsThis", "nothingSupportsThisEither", "noProxiesSupportThis", "norDoAnyProxiesSupportThis"],
            response.Headers.GetValues(HeaderId.Unsupported));

        // In the UAS role alone only Require counts (RFC 3261 §8.2.2.3).
        var uasOnly = new SipRequestValidator(new SipValidatorOptions { CheckProxyRequire = false });
        SipResponse uasResponse = AssertRefusal(request, uasOnly.Validate(request), 420);
        Assert.Equal(["nothingSupportsThis", "nothingSupportsThisEither"], uasResponse.Headers.GetValues(HeaderId.Unsupported));
    }

    /// <summary>§3.3.6: an unknown body type: 415 with Accept.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Invut_UnknownContentTypeGets415WithAccept(bool original)
    {
        var (request, result) = ParseAndValidate("invut", original);

        Assert.Equal("application/unknownformat", request.ContentType);
        Assert.Equal(40, request.Body.Length);
        SipResponse response = AssertRefusal(request, result, 415);
        Assert.Contains("application/sdp", response.Headers.GetValues(HeaderId.Accept));
    }

    /// <summary>§3.3.7: an unknown Authorization scheme is kept as is; the request is valid.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Regaut01_UnknownAuthorizationSchemeIsKept(bool original)
    {
        var (request, result) = ParseAndValidate("regaut01", original);

        Assert.Equal("NoOneKnowsThisScheme opaque-data=here", request.Headers[HeaderId.Authorization]);
        Assert.Equal(0, request.ContentLength);
        Assert.True(result.IsValid, result.ToString());
    }

    /// <summary>§3.3.8: single-valued headers given twice: 400.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Multi01_RepeatedSingleValueHeadersGet400(bool original)
    {
        var (request, result) = ParseAndValidate("multi01", original);

        Assert.Equal(2, request.Headers.CountOf(HeaderId.CSeq));
        SipResponse response = AssertRefusal(request, result, 400);
        Assert.Equal("Multiple To Headers", result.Reason);
        Assert.Equal(1, response.Headers.CountOf(HeaderId.To));
        Assert.Equal(1, response.Headers.CountOf(HeaderId.CSeq));
    }

    /// <summary>§3.3.9: two different Content-Length values: refused by the parser with 400.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Mcl01_MultipleContentLengthsGet400(bool original)
    {
        SipParseError error = ParseError("mcl01", original);

        Assert.Equal(400, error.StatusCode);
        Assert.Equal("Several different Content-Length values", error.Reason);
        Assert.True(SipResponseFactory.TryCreateResponse(error, out var response));
        Assert.Equal(new CSeqHeader(15932, SipMethods.Options), response.CSeq);
    }

    /// <summary>§3.3.10: a 200 with a second Via to a broadcast address parses and is dropped.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Bcast_ResponseWithBroadcastViaIsDropped(bool original)
    {
        SipResponse response = ParseResponse("bcast", original);

        Assert.Equal(2, response.GetVias().Count);
        SipValidationResult atUac = SipResponseValidator.Validate(response, atUac: true);
        Assert.False(atUac.IsValid);
        Assert.False(atUac.CanRespond);

        // Forwarding it on (a proxy's role) is refused only for the true broadcast address,
        // which the loopback-safe copy replaced.
        SipValidationResult forwarding = SipResponseValidator.Validate(response, atUac: false);
        Assert.Equal(original, !forwarding.IsValid);
    }

    /// <summary>§3.3.11: Max-Forwards 0 on OPTIONS is answered locally; on INVITE it would get 483.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Zeromf_ZeroMaxForwardsOptionsIsServed(bool original)
    {
        var (request, result) = ParseAndValidate("zeromf", original);

        Assert.Equal(0, request.MaxForwards);
        Assert.True(result.IsValid, result.ToString());

        byte[] invite = System.Text.Encoding.UTF8.GetBytes(
            System.Text.Encoding.UTF8.GetString(Load("zeromf", original)).Replace("OPTIONS", "INVITE", StringComparison.Ordinal));
        var inviteRequest = Assert.IsType<SipRequest>(Parser.Parse(invite));
        AssertRefusal(inviteRequest, Validator.Validate(inviteRequest), 483);
    }

    /// <summary>§3.3.12: without brackets, ";unknownparam" is a Contact parameter.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Cparam01_UnbracketedParameterBelongsToTheContact(bool original)
    {
        var (request, result) = ParseAndValidate("cparam01", original);

        NameAddress contact = Assert.Single(request.GetContacts()).Address!;
        Assert.True(contact.Parameters.Contains("unknownparam"));
        Assert.False(contact.SipUri!.Parameters.Contains("unknownparam"));
        Assert.Equal("+19725552222", contact.SipUri.User);
        Assert.True(result.IsValid, result.ToString());
    }

    /// <summary>§3.3.13: inside brackets, ";unknownparam" is a URI parameter.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Cparam02_BracketedParameterBelongsToTheUri(bool original)
    {
        var (request, result) = ParseAndValidate("cparam02", original);

        NameAddress contact = Assert.Single(request.GetContacts()).Address!;
        Assert.False(contact.Parameters.Contains("unknownparam"));
        Assert.True(contact.SipUri!.Parameters.Contains("unknownparam"));
        Assert.True(result.IsValid, result.ToString());
    }

    /// <summary>§3.3.14: a bracketed Contact URI with an escaped Route header is accepted.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Regescrt_EscapedHeaderInContactIsAccepted(bool original)
    {
        var (request, result) = ParseAndValidate("regescrt", original);

        SipUri contact = Assert.Single(request.GetContacts()).Address!.SipUri!;
        Assert.StartsWith("Route=%3Csip:", contact.UriHeaders, StringComparison.Ordinal);
        Assert.StartsWith("Route=<sip:", SipUri.Unescape(contact.UriHeaders!), StringComparison.Ordinal);
        Assert.True(result.IsValid, result.ToString());
    }

    /// <summary>§3.3.15: Accept without SDP on an INVITE: 406 (warn-code 304).</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Sdp01_UnacceptableAcceptGets406(bool original)
    {
        var (request, result) = ParseAndValidate("sdp01", original);

        Assert.Equal(["text/nobodyKnowsThis"], request.Headers.GetValues(HeaderId.Accept));
        SipResponse response = AssertRefusal(request, result, 406);
        Assert.StartsWith("304 ", response.Headers[HeaderId.Warning], StringComparison.Ordinal);
    }

    [Fact]
    public void EveryRfc4475MessageIsInTheCorpusAndHasItsOwnTest()
    {
        string[] files = System.IO.Directory.GetFiles(Rfc4475Corpus.Directory, "*.sip").Select(f => Path.GetFileNameWithoutExtension(f)!).Order().ToArray();
        string[] originals = System.IO.Directory.GetFiles(Path.Combine(Rfc4475Corpus.Directory, "original"), "*.dat").Select(f => Path.GetFileNameWithoutExtension(f)!).Order().ToArray();
        Assert.Equal(49, Names.Length);
        Assert.Equal(Names.Order(), files);
        Assert.Equal(files, originals);

        var testNames = typeof(Rfc4475SemanticsTests).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(Rfc4475SemanticsTests).Namespace)
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance))
            .Where(m => m.GetCustomAttribute<TheoryAttribute>() is not null)
            .Select(m => m.Name.Split('_')[0].ToLowerInvariant())
            .ToHashSet();
        Assert.All(Names, name => Assert.Contains(name, testNames));
    }

    /// <summary>Both copies of each message meet the same fate: same outcome, same status, same structure.</summary>
    [Fact]
    public void LoopbackSafeCopiesParseLikeTheOriginals()
    {
        foreach (string name in Names)
        {
            bool a = Parser.TryParse(Load(name, false), out var loopback, out var loopbackError);
            bool b = Parser.TryParse(Load(name, true), out var original, out var originalError);
            Assert.True(a == b, name);
            if (!a)
            {
                Assert.Equal((loopbackError!.StatusCode, loopbackError.Reason), (originalError!.StatusCode, originalError.Reason));
                continue;
            }

            Assert.Equal(loopback!.Headers.Count, original!.Headers.Count);
            Assert.Equal(loopback.Body.Length, original.Body.Length);
            if (loopback is SipRequest request)
            {
                Assert.Equal(request.Method, ((SipRequest)original).Method);
                Assert.Equal(Validator.Validate(request).StatusCode, Validator.Validate((SipRequest)original).StatusCode);
            }
            else
            {
                Assert.Equal(((SipResponse)loopback).StatusCode, ((SipResponse)original).StatusCode);
            }
        }
    }
}
