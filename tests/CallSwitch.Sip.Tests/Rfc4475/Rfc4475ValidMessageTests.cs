using System.Text;
using CallSwitch.Sip.Messages;
using CallSwitch.Sip.Parsing;
using static CallSwitch.Sip.Tests.Rfc4475.Rfc4475Corpus;

namespace CallSwitch.Sip.Tests.Rfc4475;

/// <summary>
/// RFC 4475 §3.1.1 (valid messages) and §3.4 (RFC 2543 syntax): a parser must accept each one
/// and read the values the RFC names. Each test runs on the loopback-safe copy and the original.
/// </summary>
public class Rfc4475ValidMessageTests
{
    /// <summary>§3.1.1.1: folding, odd spacing around ':' '/' ';' '=' and case-insensitive names.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Wsinv_ShortTorturousInviteReadsItsValues(bool original)
    {
        var (request, result) = ParseAndValidate("wsinv", original);

        Assert.Same(SipMethods.Invite, request.Method);
        var uri = Assert.IsType<SipUri>(request.Uri);
        Assert.Equal("vivekg", uri.User);
        Assert.True(uri.Parameters.Contains("unknownparam"));
        Assert.Equal("vivekg", request.To!.SipUri!.User);
        Assert.Equal("1918181833n", request.To.Tag);
        Assert.Equal("J Rosenberg \\\"", request.From!.DisplayName);
        Assert.Equal("98asjd8", request.From.Tag);
        Assert.Equal(68, request.MaxForwards);
        Assert.Equal(new CSeqHeader(9, SipMethods.Invite), request.CSeq);
        Assert.StartsWith("wsinv.ndaksdj@", request.CallId, StringComparison.Ordinal);
        Assert.Equal(string.Empty, request.Headers[HeaderId.Subject]);
        Assert.Equal("newfangled value continued newfangled value", request.Headers["NewFangledHeader"]);
        Assert.Equal(";;,,;;,;", request.Headers["UnknownHeaderWithUnusualValue"]);

        var route = NameAddress.Parse(request.Headers[HeaderId.Route]);
        Assert.NotNull(route);
        Assert.True(route.SipUri!.IsLooseRouter);
        Assert.True(route.SipUri.Parameters.Contains("unknown-no-value"));
        Assert.Equal("value", route.SipUri.Parameters.Get("unknownwith"));

        var vias = request.GetVias();
        Assert.Equal(3, vias.Count);
        Assert.Equal(("SIP/2.0", "UDP", "390skdjuw"), (vias[0].Protocol, vias[0].Transport, vias[0].Branch));
        Assert.Equal(("SIP/2.0", "TCP", "z9hG4bK9ikj8"), (vias[1].Protocol, vias[1].Transport, vias[1].Branch));
        Assert.Equal(("UDP", "z9hG4bK30239"), (vias[2].Transport, vias[2].Branch));
        Assert.EndsWith(".168.255.111", vias[2].Host, StringComparison.Ordinal);

        var contact = Assert.Single(request.GetContacts());
        Assert.Equal("Quoted string \"\"", contact.Address!.DisplayName);
        Assert.Equal("newvalue", contact.Address.Parameters.Get("newparam"));
        Assert.True(contact.Address.Parameters.Contains("secondparam"));
        Assert.Equal(0.33, contact.Q);
        Assert.Equal(150, request.Body.Length);
        Assert.Equal("application/sdp", request.ContentType);
        Assert.True(result.IsValid, result.ToString());
    }

    /// <summary>§3.1.1.2: every token character in the method, odd URI user and password, quoted-pair NUL.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Intmeth_WideRangeOfValidCharactersIsKept(bool original)
    {
        var (request, result) = ParseAndValidate("intmeth", original);

        const string method = "!interesting-Method0123456789_*+`.%indeed'~";
        Assert.Equal(method, request.Method);
        Assert.Equal(new CSeqHeader(139122385, method), request.CSeq);
        var uri = Assert.IsType<SipUri>(request.Uri);
        Assert.Equal("1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*", uri.User);
        Assert.Equal("&it+has=1,weird!*pas$wo~d_too.(doesn't-it)", uri.Password);
        Assert.Equal("BEL:\u0007 NUL:\0 DEL:\u007F", request.To!.DisplayName);
        Assert.Equal("1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*", request.To.SipUri!.User);
        Assert.Equal("token1~` token2'+_ token3*%!.-", request.From!.DisplayName);
        Assert.Equal("_token~1'+`*%!-.", request.From.Tag);
        Assert.Equal("работающий", request.From.Parameters.GetUnquoted("fromParam''~+*_!.-%"));
        Assert.Equal("intmeth.word%ZK-!.*_+'@word`~)(><:\\/\"][?}{", request.CallId);
        Assert.Equal(255, request.MaxForwards);
        Assert.Equal("\uFEFF大停電", request.Headers["extensionHeader-!.%*+_`'~"]);
        Assert.Equal("z9hG4bK-.!%66*_+`'~", request.TopVia!.Branch);

        // Well formed, but a UAS does not know the method: 501 (RFC 3261 §21.5.2).
        AssertRefusal(request, result, 501);
    }

    /// <summary>§3.1.1.3: %HH escapes in user parts and URI parameters; no recursive unescaping.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Esc01_EscapedUserPartsAndParametersUnescape(bool original)
    {
        var (request, result) = ParseAndValidate("esc01", original);

        var uri = Assert.IsType<SipUri>(request.Uri);
        Assert.Equal("sips%3Auser%40example.com", uri.User);
        Assert.Equal("sips:user@example.com", uri.UserUnescaped);
        Assert.Equal("user", request.To!.SipUri!.UserUnescaped);
        Assert.Equal("I have spaces", request.From!.SipUri!.UserUnescaped);
        Assert.Equal("938", request.From.Tag);
        Assert.Equal("application/sdp", request.ContentType);
        var contact = Assert.Single(request.GetContacts()).Address!.SipUri!;
        Assert.Equal("caller", contact.UserUnescaped);
        Assert.True(contact.IsLooseRouter);
        Assert.True(contact.Parameters.TryGetUnescaped("name", out string? value));
        Assert.Equal("value%41", value);
        Assert.Equal(150, request.Body.Length);
        Assert.True(result.IsValid, result.ToString());
    }

    /// <summary>§3.1.1.4: %00 in user parts is legal and unescapes to a NUL character.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Escnull_EscapedNullsInUserParts(bool original)
    {
        var (request, result) = ParseAndValidate("escnull", original);

        Assert.Equal("null-\0-null", request.To!.SipUri!.UserUnescaped);
        Assert.Equal("null-\0-null", request.From!.SipUri!.UserUnescaped);
        var contacts = request.GetContacts();
        Assert.Equal(["\0", "\0\0"], contacts.Select(c => c.Address!.SipUri!.UserUnescaped));
        Assert.Equal(0, request.ContentLength);
        Assert.True(result.IsValid, result.ToString());
    }

    /// <summary>§3.1.1.5: escapes mean nothing in methods, display names, branches or header names.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Esc02_EscapesOutsideUrisAreLiteral(bool original)
    {
        var (request, result) = ParseAndValidate("esc02", original);

        Assert.Equal("RE%47IST%45R", request.Method);
        Assert.NotEqual(SipMethods.Register, request.Method);
        Assert.Equal("RE%47IST%45R", request.CSeq!.Value.Method);
        Assert.Equal("%Z%45", request.To!.DisplayName);
        Assert.Equal("%Z%45", request.From!.DisplayName);
        Assert.Equal("z9hG4bK209%fzsnel234", request.TopVia!.Branch);
        Assert.Equal(2, request.GetContacts().Count);
        Assert.StartsWith("<sip:alias2@", request.Headers["C%6Fntact"], StringComparison.Ordinal);
        AssertRefusal(request, result, 501);
    }

    /// <summary>§3.1.1.6: no white space between display name and '&lt;'.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Lwsdisp_DisplayNameWithoutSpaceBeforeBracket(bool original)
    {
        var (request, result) = ParseAndValidate("lwsdisp", original);

        Assert.Equal("caller", request.From!.DisplayName);
        Assert.Equal("caller", request.From.SipUri!.User);
        Assert.Equal("323", request.From.Tag);
        Assert.True(result.IsValid, result.ToString());
    }

    /// <summary>§3.1.1.7: long values, long names, many Vias in every spelling.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Longreq_LongValuesAndManyVias(bool original)
    {
        var (request, result) = ParseAndValidate("longreq", original);

        Assert.StartsWith("I have a user name of extremeextreme", request.To!.DisplayName, StringComparison.Ordinal);
        Assert.EndsWith("proportion", request.To.DisplayName, StringComparison.Ordinal);
        Assert.Equal(6000, request.To.SipUri!.Port);
        Assert.EndsWith("longvalue", request.To.SipUri.Parameters.Get("unknownparam1"), StringComparison.Ordinal);
        Assert.StartsWith("amazinglylongcallername", request.From!.SipUri!.User, StringComparison.Ordinal);
        Assert.StartsWith("12982982982", request.From.Tag, StringComparison.Ordinal);
        Assert.StartsWith("longreq.onereallyreally", request.CallId, StringComparison.Ordinal);
        Assert.Equal(34, request.Headers.CountOf(HeaderId.Via));
        var vias = request.GetVias();
        Assert.Equal(34, vias.Count);
        Assert.All(vias, v => Assert.Equal("TCP", v.Transport));
        Assert.StartsWith("verylonglong", vias[^1].Branch, StringComparison.Ordinal);
        Assert.NotNull(vias[^1].Received);
        Assert.StartsWith("unknown-longlong", request.Headers["Unknown-LongLongLongLongLongLongLongLongLongLongLongLongLongLongLongLongLongLongLongLong-Name"], StringComparison.Ordinal);
        Assert.Equal(150, request.Body.Length);
        Assert.True(result.IsValid, result.ToString());
    }

    /// <summary>§3.1.1.8: a datagram with two requests: only the first is taken, its Content-Length 0 ends it.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Dblreq_OnlyTheFirstRequestOfTheDatagramIsTaken(bool original)
    {
        var (request, result) = ParseAndValidate("dblreq", original);

        Assert.Same(SipMethods.Register, request.Method);
        Assert.Equal(new CSeqHeader(8, SipMethods.Register), request.CSeq);
        Assert.Equal(0, request.Body.Length);
        Assert.Equal(8, request.Headers.Count);
        Assert.False(request.Headers.Contains(HeaderId.ContentType));
        Assert.DoesNotContain("INVITE", Encoding.UTF8.GetString(request.ToBytes()), StringComparison.Ordinal);
        Assert.True(result.IsValid, result.ToString());
    }

    /// <summary>§3.1.1.9: a ';' in the user part is part of the user, not a parameter.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Semiuri_SemicolonInUserPart(bool original)
    {
        var (request, result) = ParseAndValidate("semiuri", original);

        var uri = Assert.IsType<SipUri>(request.Uri);
        Assert.Equal("user;par=u%40example.net", uri.User);
        Assert.Equal("user;par=u@example.net", uri.UserUnescaped);
        Assert.Equal(0, uri.Parameters.Count);
        Assert.Equal(
            ["application/sdp", "application/pkcs7-mime", "multipart/mixed", "multipart/signed", "message/sip", "message/sipfrag"],
            request.Headers.GetValues(HeaderId.Accept));
        Assert.True(result.IsValid, result.ToString());
    }

    /// <summary>§3.1.1.10: Via transports, an unknown one included.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Transports_ViaTransportsAreRead(bool original)
    {
        var (request, result) = ParseAndValidate("transports", original);

        Assert.Equal(["UDP", "SCTP", "TLS", "UNKNOWN", "TCP"], request.GetVias().Select(v => v.Transport));
        Assert.Equal("transports.kijh4akdnaqjkwendsasfdj", request.CallId);
        Assert.True(result.IsValid, result.ToString());
    }

    /// <summary>§3.1.1.11: a multipart body with binary content; its length is the Content-Length.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Mpart01_MultipartBodyLength(bool original)
    {
        var (request, result) = ParseAndValidate("mpart01", original);

        Assert.Same(SipMethods.Message, request.Method);
        Assert.Equal(553, request.Body.Length);
        Assert.Equal("multipart/mixed", request.ContentType);
        Assert.Contains("boundary=7a9cbec02ceef655", request.Headers[HeaderId.ContentType], StringComparison.Ordinal);
        Assert.True(request.Body.Span.StartsWith("--7a9cbec02ceef655\r\n"u8));
        Assert.True(request.Body.Span.EndsWith("--7a9cbec02ceef655--\r\n"u8));
        Assert.True(request.TopVia!.HasRPort);
        Assert.True(result.IsValid, result.ToString());
    }

    /// <summary>§3.1.1.12: a UTF-8 reason phrase.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Unreason_Utf8ReasonPhrase(bool original)
    {
        SipResponse response = ParseResponse("unreason", original);

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("= 2**3 * 5**2 но сто девяносто девять - простое", response.ReasonPhrase);
        Assert.Equal(154, response.Body.Length);
        Assert.Equal("2229", response.To!.Tag);
        Assert.True(SipResponseValidator.Validate(response).IsValid);
    }

    /// <summary>§3.1.1.13: an empty reason phrase (the SP after the code is still there).</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Noreason_EmptyReasonPhrase(bool original)
    {
        SipResponse response = ParseResponse("noreason", original);

        Assert.Equal(100, response.StatusCode);
        Assert.Equal(string.Empty, response.ReasonPhrase);
        Assert.Equal(new CSeqHeader(35, SipMethods.Invite), response.CSeq);
        Assert.True(SipResponseValidator.Validate(response).IsValid);
    }

    /// <summary>§3.4.1: RFC 2543 syntax (no branch, no From tag, no Max-Forwards, no Content-Length) is accepted.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Inv2543_Rfc2543RequestIsAccepted(bool original)
    {
        byte[] wire = Load("inv2543", original);
        var (request, result) = ParseAndValidate("inv2543", original);

        Assert.Null(request.TopVia!.Branch);
        Assert.Null(request.From!.Tag);
        Assert.Null(request.MaxForwards);
        Assert.Null(request.ContentLength);
        Assert.Equal(105, request.Body.Length);
        Assert.True(wire.AsSpan().EndsWith(request.Body.Span));

        // Without angle brackets ";user=phone" is a To header parameter (RFC 3261 §20.10).
        Assert.Equal("phone", request.To!.Parameters.Get("user"));
        Assert.Equal("phone", request.From.SipUri!.Parameters.Get("user"));
        Assert.True(result.IsValid, result.ToString());

        SipResponse ok = SipResponseFactory.CreateResponse(request, 200, toTag: "abc");
        Assert.Equal("abc", ok.To!.Tag);
        Assert.Equal("phone", ok.To.Parameters.Get("user"));
    }
}
