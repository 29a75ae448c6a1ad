using CallSwitch.Sip.Auth;
using static CallSwitch.Sip.Tests.Auth.DigestTestAccounts;

namespace CallSwitch.Sip.Tests.Auth;

public sealed class DigestServerTests
{
    private readonly Microsoft.Extensions.Time.Testing.FakeTimeProvider _time = CreateTime();
    private readonly InMemoryDigestCredentialStore _store = CreateStore();
    private readonly DigestServer _server;

    public DigestServerTests()
    {
        _server = CreateServer(_time);
    }

    private string NewNonce() => _server.CreateChallenges()[0].Nonce;

    [Fact]
    public void Challenges_offer_sha256_then_md5_with_one_nonce_and_qop_auth()
    {
        var challenges = _server.CreateChallenges();

        Assert.Equal(2, challenges.Count);
        Assert.Equal(DigestAlgorithm.Sha256, challenges[0].Algorithm);
        Assert.Equal(DigestAlgorithm.Md5, challenges[1].Algorithm);
        Assert.All(challenges, c => Assert.Equal(["auth"], c.QopOptions));
        Assert.All(challenges, c => Assert.Equal(Realm, c.Realm));
        Assert.Equal(challenges[0].Nonce, challenges[1].Nonce);
        Assert.All(challenges, c => Assert.False(c.Stale));
        Assert.NotEqual(challenges[0].Nonce, NewNonce());
    }

    [Fact]
    public void Challenge_header_values_parse_back_and_carry_stale()
    {
        var values = _server.CreateChallengeHeaderValues(stale: true);

        Assert.Equal(2, values.Count);
        Assert.StartsWith("Digest realm=\"callswitch\", nonce=\"", values[0], StringComparison.Ordinal);
        Assert.EndsWith("algorithm=SHA-256, qop=\"auth\", stale=true", values[0], StringComparison.Ordinal);
        Assert.True(DigestChallenge.TryParse(values[1], out var md5));
        Assert.True(md5.Stale);
    }

    [Theory]
    [InlineData(DigestAlgorithm.Md5)]
    [InlineData(DigestAlgorithm.Sha256)]
    public void Correct_credentials_are_accepted(DigestAlgorithm algorithm)
    {
        var result = _server.Verify("REGISTER", Sign(NewNonce(), algorithm: algorithm), _store);

        Assert.Equal(DigestVerificationStatus.Ok, result.Status);
        Assert.Equal(User, result.AuthenticatedUsername);
        Assert.True(result.IsOk);
    }

    [Fact]
    public void Digest_uri_is_not_compared_with_the_request_uri()
    {
        // SIPp signs sip:<ip>:<port> whatever the Request-URI; baresip adds ;transport=udp.
        Assert.True(_server.Verify("INVITE", Sign(NewNonce(), method: "INVITE", uri: "sip:127.0.0.1;transport=udp"), _store).IsOk);
    }

    [Fact]
    public void Linphone_spacing_verifies_end_to_end()
    {
        var nonce = NewNonce();
        var ha1 = DigestCalculator.ComputeHa1(DigestAlgorithm.Sha256, User, Realm, Password);
        var ha2 = DigestCalculator.ComputeHa2(DigestAlgorithm.Sha256, "REGISTER", "sip:callswitch.local");
        var response = DigestCalculator.ComputeResponse(DigestAlgorithm.Sha256, ha1, nonce, "00000001", "7kX3OFBm5Y", "auth", ha2);
        var value = $"  Digest realm=\"callswitch\", nonce=\"{nonce}\", algorithm=SHA-256, username=\"1001\",  "
            + $"uri=\"sip:callswitch.local\", response=\"{response}\", cnonce=\"7kX3OFBm5Y\", nc=00000001, qop=auth";

        Assert.True(_server.Verify("REGISTER", value, _store).IsOk);
    }

    [Fact]
    public void Upper_case_hex_response_is_accepted()
    {
        var nonce = NewNonce();
        Assert.True(DigestCredentials.TryParse(Sign(nonce), out var credentials));
        var upper = new DigestCredentials
        {
            Username = credentials.Username,
            Realm = credentials.Realm,
            Nonce = credentials.Nonce,
            Uri = credentials.Uri,
            Response = credentials.Response.ToUpperInvariant(),
            Cnonce = credentials.Cnonce,
            Qop = credentials.Qop,
            NonceCount = credentials.NonceCount,
        };

        Assert.True(_server.Verify("REGISTER", upper, _store).IsOk);
    }

    [Fact]
    public void Reused_nonce_with_increasing_nc_is_accepted()
    {
        var nonce = NewNonce();

        Assert.True(_server.Verify("REGISTER", Sign(nonce, nc: 1), _store).IsOk);
        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.True(_server.Verify("INVITE", Sign(nonce, nc: 2, method: "INVITE"), _store).IsOk);
        Assert.True(_server.Verify("BYE", Sign(nonce, nc: 5, method: "BYE"), _store).IsOk);
    }

    [Fact]
    public void Replayed_nonce_count_is_refused()
    {
        var nonce = NewNonce();
        var credentials = Sign(nonce, nc: 3);

        Assert.True(_server.Verify("REGISTER", credentials, _store).IsOk);
        var replay = _server.Verify("REGISTER", credentials, _store);
        var older = _server.Verify("REGISTER", Sign(nonce, nc: 2), _store);

        Assert.Equal(DigestVerificationStatus.Stale, replay.Status);
        Assert.Equal("nonce count replayed", replay.Reason);
        Assert.Null(replay.AuthenticatedUsername);
        Assert.Equal(DigestVerificationStatus.Stale, older.Status);
    }

    [Fact]
    public void Expired_nonce_with_right_password_is_stale()
    {
        var nonce = NewNonce();
        _time.Advance(TimeSpan.FromMinutes(5));

        var result = _server.Verify("REGISTER", Sign(nonce), _store);

        Assert.Equal(DigestVerificationStatus.Stale, result.Status);
        Assert.Equal("nonce expired", result.Reason);
    }

    [Fact]
    public void Nonce_just_inside_its_lifetime_is_accepted()
    {
        var nonce = NewNonce();
        _time.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromMilliseconds(1));

        Assert.True(_server.Verify("REGISTER", Sign(nonce), _store).IsOk);
    }

    [Fact]
    public void Expired_nonce_with_wrong_password_is_failed_not_stale()
    {
        var nonce = NewNonce();
        _time.Advance(TimeSpan.FromMinutes(10));

        Assert.Equal(DigestVerificationStatus.Failed, _server.Verify("REGISTER", Sign(nonce, password: "guess"), _store).Status);
    }

    [Fact]
    public void Tampered_nonce_is_refused()
    {
        var nonce = NewNonce();
        var tampered = (nonce[0] == 'A' ? "B" : "A") + nonce[1..];
        var swapped = Sign(nonce).Replace(nonce, tampered, StringComparison.Ordinal);

        // Response computed over the original nonce but sent with a modified one: mismatch.
        Assert.Equal(DigestVerificationStatus.Failed, _server.Verify("REGISTER", swapped, _store).Status);

        // A client that signs the forged nonce knows the password, yet never gets Ok with it.
        var forged = _server.Verify("REGISTER", Sign(tampered), _store);
        Assert.Equal(DigestVerificationStatus.Stale, forged.Status);
        Assert.Equal("nonce not issued by this server", forged.Reason);
    }

    [Fact]
    public void Nonce_from_another_server_instance_is_not_valid_here()
    {
        var other = CreateServer(_time);
        var nonce = other.CreateChallenges()[0].Nonce;

        Assert.Equal(DigestVerificationStatus.Stale, _server.Verify("REGISTER", Sign(nonce), _store).Status);
    }

    [Fact]
    public void Nonces_survive_across_instances_sharing_a_secret()
    {
        var secret = new byte[32];
        var options = new DigestServerOptions { Realm = Realm, NonceSecret = secret };
        var a = new DigestServer(options, _time);
        var b = new DigestServer(options, _time);

        Assert.True(b.Verify("REGISTER", Sign(a.CreateChallenges()[0].Nonce), _store).IsOk);
    }

    [Fact]
    public void Unknown_user_and_wrong_password_are_indistinguishable()
    {
        var nonce = NewNonce();

        var wrongPassword = _server.Verify("REGISTER", Sign(nonce, password: "guess"), _store);
        var unknownUser = _server.Verify("REGISTER", Sign(nonce, user: "9999", password: "guess"), _store);

        Assert.Equal(DigestVerificationStatus.Failed, wrongPassword.Status);
        Assert.Equal(wrongPassword.Status, unknownUser.Status);
        Assert.Equal(wrongPassword.Reason, unknownUser.Reason);
        Assert.Equal(DigestVerificationResult.BadCredentialsReason, unknownUser.Reason);
        Assert.Null(unknownUser.AuthenticatedUsername);
        Assert.Equal("9999", unknownUser.ClaimedUsername);
    }

    [Fact]
    public void Another_users_password_does_not_authenticate()
    {
        Assert.Equal(
            DigestVerificationStatus.Failed,
            _server.Verify("REGISTER", Sign(NewNonce(), password: "other-password"), _store).Status);
    }

    [Fact]
    public void Response_for_another_method_is_refused()
    {
        Assert.Equal(DigestVerificationStatus.Failed, _server.Verify("INVITE", Sign(NewNonce(), method: "REGISTER"), _store).Status);
    }

    [Fact]
    public void Foreign_realm_is_refused()
    {
        var result = _server.Verify("REGISTER", Sign(NewNonce(), realm: "elsewhere"), _store);

        Assert.Equal(DigestVerificationStatus.Failed, result.Status);
        Assert.Equal("realm mismatch", result.Reason);
    }

    [Fact]
    public void Session_algorithms_are_not_accepted_because_not_offered()
    {
        var value = Sign(NewNonce()).Replace("algorithm=MD5", "algorithm=MD5-sess", StringComparison.Ordinal);

        Assert.Equal(DigestVerificationStatus.Failed, _server.Verify("REGISTER", value, _store).Status);
    }

    [Fact]
    public void Rfc2069_credentials_are_refused_by_default()
    {
        var result = _server.Verify("REGISTER", Sign(NewNonce(), qop: null), _store);

        Assert.Equal(DigestVerificationStatus.Failed, result.Status);
    }

    [Fact]
    public void Rfc2069_credentials_are_accepted_when_allowed()
    {
        var server = CreateServer(_time, allowRfc2069: true);
        var nonce = server.CreateChallenges()[1].Nonce;

        Assert.True(server.Verify("REGISTER", Sign(nonce, qop: null), _store).IsOk);
        Assert.True(server.Verify("REGISTER", Sign(nonce, qop: null), _store).IsOk);
    }

    [Fact]
    public void Sipp_style_credentials_verify_when_rfc2069_is_allowed()
    {
        var server = CreateServer(_time, allowRfc2069: true);
        var nonce = server.CreateChallenges()[1].Nonce;
        var ha1 = DigestCalculator.ComputeHa1(DigestAlgorithm.Md5, User, Realm, Password);
        var response = DigestCalculator.ComputeResponse(
            DigestAlgorithm.Md5, ha1, nonce, null, null, null, DigestCalculator.ComputeHa2(DigestAlgorithm.Md5, "REGISTER", "sip:127.0.0.1:5060"));
        var value = $"Digest username=\"1001\",realm=\"callswitch\",uri=\"sip:127.0.0.1:5060\",nonce=\"{nonce}\",response=\"{response}\",algorithm=MD5";

        Assert.True(server.Verify("REGISTER", value, _store).IsOk);
    }

    [Theory]
    [InlineData("qop=auth, nc=00000001", "")]
    [InlineData("qop=auth, cnonce=\"c\"", "")]
    [InlineData("qop=auth, cnonce=\"c\", nc=1", "")]
    [InlineData("qop=auth, cnonce=\"c\", nc=00000000", "")]
    [InlineData("qop=auth, cnonce=\"c\", nc=0000000g", "")]
    [InlineData("cnonce=\"c\", nc=00000001", "")]
    [InlineData("qop=auth, cnonce=\"c\", nc=00000001", "short")]
    public void Structurally_wrong_credentials_are_malformed(string qopPart, string response)
    {
        var value = $"Digest username=\"1001\", realm=\"callswitch\", nonce=\"{NewNonce()}\", uri=\"sip:x\", "
            + $"response=\"{(response.Length == 0 ? new string('a', 32) : response)}\", {qopPart}";

        Assert.Equal(DigestVerificationStatus.Malformed, _server.Verify("REGISTER", value, _store).Status);
    }

    [Fact]
    public void Garbage_is_malformed()
    {
        Assert.Equal(DigestVerificationStatus.Malformed, _server.Verify("REGISTER", "Basic Zm9vOmJhcg==", _store).Status);
        Assert.Equal(DigestVerificationStatus.Malformed, _server.Verify("REGISTER", "", _store).Status);
    }

    [Fact]
    public void Qop_auth_int_is_refused_because_not_offered()
    {
        var value = Sign(NewNonce()).Replace("qop=auth", "qop=auth-int", StringComparison.Ordinal);

        Assert.Equal(DigestVerificationStatus.Failed, _server.Verify("REGISTER", value, _store).Status);
    }

    [Fact]
    public void Nonce_tracking_memory_is_bounded_and_evicted_nonces_go_stale()
    {
        var server = CreateServer(_time, maxTrackedNonces: 10);
        var nonces = new List<string>();
        for (var i = 0; i < 25; i++)
        {
            var nonce = server.CreateChallenges()[0].Nonce;
            nonces.Add(nonce);
            Assert.True(server.Verify("REGISTER", Sign(nonce), _store).IsOk);
            _time.Advance(TimeSpan.FromMilliseconds(10));
        }

        Assert.True(server.TrackedNonceCount <= 10);

        // The oldest nonce's history is gone: even a fresh nc on it must not be trusted.
        var evicted = server.Verify("REGISTER", Sign(nonces[0], nc: 2), _store);
        Assert.Equal(DigestVerificationStatus.Stale, evicted.Status);
        Assert.True(server.Verify("REGISTER", Sign(nonces[^1], nc: 2), _store).IsOk);
    }

    [Fact]
    public void Expired_nonces_are_dropped_from_tracking()
    {
        for (var i = 0; i < 5; i++)
        {
            Assert.True(_server.Verify("REGISTER", Sign(NewNonce()), _store).IsOk);
        }

        _time.Advance(TimeSpan.FromMinutes(6));
        Assert.True(_server.Verify("REGISTER", Sign(NewNonce()), _store).IsOk);

        Assert.Equal(1, _server.TrackedNonceCount);
    }

    [Fact]
    public void Invalid_options_are_rejected()
    {
        Assert.ThrowsAny<ArgumentException>(() => new DigestServer(new DigestServerOptions { Realm = "" }, _time));
        Assert.ThrowsAny<ArgumentException>(() => new DigestServer(
            new DigestServerOptions { Realm = "r", Algorithms = [DigestAlgorithm.Md5Session] }, _time));
        Assert.ThrowsAny<ArgumentException>(() => new DigestServer(
            new DigestServerOptions { Realm = "r", NonceSecret = new byte[4] }, _time));
    }
}
