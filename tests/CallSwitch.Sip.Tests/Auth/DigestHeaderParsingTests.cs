using CallSwitch.Sip.Auth;

namespace CallSwitch.Sip.Tests.Auth;

public sealed class DigestHeaderParsingTests
{
    [Fact]
    public void Parses_a_multi_challenge_style_value_with_quoted_qop_list()
    {
        const string value = "Digest realm=\"http-auth@example.org\", qop=\"auth, auth-int\", algorithm=SHA-256, "
            + "nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\", opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\"";

        Assert.True(DigestChallenge.TryParse(value, out var challenge));
        Assert.Equal("http-auth@example.org", challenge.Realm);
        Assert.Equal(["auth", "auth-int"], challenge.QopOptions);
        Assert.Equal(DigestAlgorithm.Sha256, challenge.Algorithm);
        Assert.Equal("SHA-256", challenge.AlgorithmName);
        Assert.Equal("7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", challenge.Nonce);
        Assert.Equal("FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS", challenge.Opaque);
        Assert.False(challenge.Stale);
    }

    [Fact]
    public void Challenge_without_algorithm_means_md5_and_stale_is_case_insensitive()
    {
        Assert.True(DigestChallenge.TryParse("digest realm=\"r\",nonce=\"n\",stale=TRUE,qop=auth", out var challenge));

        Assert.Null(challenge.AlgorithmName);
        Assert.Equal(DigestAlgorithm.Md5, challenge.Algorithm);
        Assert.True(challenge.Stale);
        Assert.True(challenge.OffersQop("auth"));
    }

    [Fact]
    public void Challenge_with_unknown_algorithm_parses_but_has_no_supported_algorithm()
    {
        Assert.True(DigestChallenge.TryParse("Digest realm=\"r\", nonce=\"n\", algorithm=SHA-512-256", out var challenge));
        Assert.Null(challenge.Algorithm);
    }

    [Fact]
    public void Challenge_round_trips_canonically_and_keeps_unknown_parameters()
    {
        const string value = "Digest   realm=\"a \\\"quoted\\\" realm\" ,nonce=\"n1\",  charset=UTF-8, x-extra=\"keep me\"";

        Assert.True(DigestChallenge.TryParse(value, out var challenge));
        Assert.Equal("a \"quoted\" realm", challenge.Realm);
        var written = challenge.ToHeaderValue();

        Assert.Equal("Digest realm=\"a \\\"quoted\\\" realm\", nonce=\"n1\", charset=UTF-8, x-extra=\"keep me\"", written);
        Assert.True(DigestChallenge.TryParse(written, out var again));
        Assert.Equal(challenge.Realm, again.Realm);
        Assert.Equal(challenge.OtherParameters, again.OtherParameters);
    }

    [Fact]
    public void Server_style_challenge_is_written_canonically()
    {
        var challenge = new DigestChallenge
        {
            Realm = "callswitch",
            Nonce = "abc",
            AlgorithmName = "SHA-256",
            QopOptions = ["auth"],
            Stale = true,
        };

        Assert.Equal("Digest realm=\"callswitch\", nonce=\"abc\", algorithm=SHA-256, qop=\"auth\", stale=true", challenge.ToHeaderValue());
    }

    // linphone: two spaces after the header colon and between parameters.
    [Fact]
    public void Linphone_credentials_with_double_spaces()
    {
        const string value = "  Digest realm=\"callswitch\", nonce=\"N0nce\", algorithm=SHA-256, username=\"1001\",  "
            + "uri=\"sip:callswitch.local\", response=\"abcdef\", cnonce=\"7kX3OFBm5YJ2sDbK\", nc=00000001, qop=auth";

        Assert.True(DigestCredentials.TryParse(value, out var credentials));
        Assert.Equal("1001", credentials.Username);
        Assert.Equal("sip:callswitch.local", credentials.Uri);
        Assert.Equal(DigestAlgorithm.Sha256, credentials.Algorithm);
        Assert.Equal("auth", credentials.Qop);
        Assert.True(credentials.TryGetNonceCount(out var nc));
        Assert.Equal(1u, nc);
    }

    // baresip: transport parameter inside the digest-uri.
    [Fact]
    public void Baresip_credentials_with_transport_in_uri()
    {
        const string value = "Digest username=\"1001\", realm=\"callswitch\", nonce=\"N0nce\", uri=\"sip:127.0.0.1;transport=udp\", "
            + "response=\"0123456789abcdef0123456789abcdef\", algorithm=MD5, cnonce=\"1f6a6e8b\", qop=auth, nc=0000000a";

        Assert.True(DigestCredentials.TryParse(value, out var credentials));
        Assert.Equal("sip:127.0.0.1;transport=udp", credentials.Uri);
        Assert.True(credentials.TryGetNonceCount(out var nc));
        Assert.Equal(10u, nc);
    }

    // SIPp's default [authentication] output: no spaces, no qop.
    [Fact]
    public void Sipp_credentials_without_spaces()
    {
        const string value = "Digest username=\"1001\",realm=\"callswitch\",uri=\"sip:127.0.0.1:5060\",nonce=\"abc\","
            + "response=\"0123456789abcdef0123456789abcdef\",algorithm=MD5";

        Assert.True(DigestCredentials.TryParse(value, out var credentials));
        Assert.Equal("sip:127.0.0.1:5060", credentials.Uri);
        Assert.Null(credentials.Qop);
        Assert.Null(credentials.NonceCount);
        Assert.Equal(DigestAlgorithm.Md5, credentials.Algorithm);
    }

    [Fact]
    public void Unquoted_uri_with_parameters_is_tolerated()
    {
        Assert.True(DigestCredentials.TryParse(
            "Digest username=1001, realm=callswitch, nonce=n, uri=sip:1002@10.0.0.1;transport=tcp, response=r",
            out var credentials));
        Assert.Equal("sip:1002@10.0.0.1;transport=tcp", credentials.Uri);
        Assert.Equal("callswitch", credentials.Realm);
    }

    [Fact]
    public void Tabs_line_breaks_and_empty_elements_are_tolerated()
    {
        const string value = "Digest\tusername = \"1001\" ,,\r\n realm=\"r\",\tnonce=\"n\" , uri=\"sip:x\", response=\"r\",";

        Assert.True(DigestCredentials.TryParse(value, out var credentials));
        Assert.Equal("r", credentials.Realm);
    }

    [Fact]
    public void Credentials_round_trip_canonically()
    {
        var credentials = new DigestCredentials
        {
            Username = "al\\ice \"A\"",
            Realm = "callswitch",
            Nonce = "n",
            Uri = "sip:127.0.0.1;transport=udp",
            Response = "0123",
            AlgorithmName = "SHA-256",
            Cnonce = "c",
            Opaque = "o",
            Qop = "auth",
            NonceCount = "00000002",
            OtherParameters = [new AuthParameter("userhash", "false", false)],
        };

        var written = credentials.ToHeaderValue();

        Assert.Equal(
            "Digest username=\"al\\\\ice \\\"A\\\"\", realm=\"callswitch\", nonce=\"n\", uri=\"sip:127.0.0.1;transport=udp\", "
            + "response=\"0123\", algorithm=SHA-256, cnonce=\"c\", opaque=\"o\", qop=auth, nc=00000002, userhash=false",
            written);
        Assert.True(DigestCredentials.TryParse(written, out var parsed));
        Assert.Equal(credentials.Username, parsed.Username);
        Assert.Equal(credentials.OtherParameters, parsed.OtherParameters);
    }

    [Fact]
    public void Writers_refuse_header_injection()
    {
        var credentials = new DigestCredentials { Username = "x\r\nVia: evil", Realm = "r", Nonce = "n", Uri = "u", Response = "r" };

        Assert.Throws<ArgumentException>(() => credentials.ToHeaderValue());
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("Digest")]
    [InlineData("Basic dXNlcjpwYXNz")]
    [InlineData("NoOneKnowsThisScheme opaque-data=here")]
    [InlineData("Digest username=\"1001\", realm=\"r\", nonce=\"n\", uri=\"u\"")]
    [InlineData("Digest username=\"1001\", realm=\"r\", nonce=\"n\", uri=\"u\", response=\"unterminated")]
    [InlineData("Digest username=\"1001\", username=\"1002\", realm=\"r\", nonce=\"n\", uri=\"u\", response=\"x\"")]
    [InlineData("Digest username=\"1001\" realm=\"r\", nonce=\"n\", uri=\"u\", response=\"x\"")]
    [InlineData("Digest username=, realm=\"r\", nonce=\"n\", uri=\"u\", response=\"x\"")]
    [InlineData("Digest =\"1001\", realm=\"r\", nonce=\"n\", uri=\"u\", response=\"x\"")]
    [InlineData("Digest username=\"a\0b\", realm=\"r\", nonce=\"n\", uri=\"u\", response=\"x\"")]
    [InlineData("Digest username=\"a\\")]
    [InlineData("Digest username=\"a\\\nb\", realm=\"r\", nonce=\"n\", uri=\"u\", response=\"x\"")]
    [InlineData("Digest,username=\"1001\", realm=\"r\", nonce=\"n\", uri=\"u\", response=\"x\"")]
    public void Malformed_credentials_are_refused(string value) =>
        Assert.False(DigestCredentials.TryParse(value, out _));

    [Fact]
    public void Oversized_values_are_refused()
    {
        var value = "Digest username=\"" + new string('a', 9000) + "\", realm=\"r\", nonce=\"n\", uri=\"u\", response=\"x\"";

        Assert.False(DigestCredentials.TryParse(value, out _));
    }

    [Fact]
    public void Too_many_parameters_are_refused()
    {
        var extra = string.Join(", ", Enumerable.Range(0, 60).Select(i => $"p{i}=v"));
        var value = "Digest username=\"u\", realm=\"r\", nonce=\"n\", uri=\"u\", response=\"x\", " + extra;

        Assert.False(DigestCredentials.TryParse(value, out _));
    }

    [Theory]
    [InlineData("Digest nonce=\"n\"")]
    [InlineData("Digest realm=\"r\"")]
    [InlineData("Basic realm=\"r\"")]
    public void Challenges_without_realm_or_nonce_or_of_other_schemes_are_refused(string value) =>
        Assert.False(DigestChallenge.TryParse(value, out _));
}
