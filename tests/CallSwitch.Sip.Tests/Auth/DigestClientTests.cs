using CallSwitch.Sip.Auth;
using static CallSwitch.Sip.Tests.Auth.DigestTestAccounts;

namespace CallSwitch.Sip.Tests.Auth;

public sealed class DigestClientTests
{
    private readonly Microsoft.Extensions.Time.Testing.FakeTimeProvider _time = CreateTime();
    private readonly InMemoryDigestCredentialStore _store = CreateStore();

    [Fact]
    public void Reproduces_the_rfc7616_sha256_example()
    {
        var client = new DigestClient("Mufasa", "Circle of Life", null, () => "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ");
        const string challenge = "Digest realm=\"http-auth@example.org\", qop=\"auth, auth-int\", algorithm=SHA-256, "
            + "nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\", opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\"";

        var result = client.Answer([challenge], "GET", "/dir/index.html");

        Assert.Equal(DigestClientStatus.Answered, result.Status);
        Assert.True(DigestCredentials.TryParse(result.HeaderValue, out var credentials));
        Assert.Equal("753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1", credentials.Response);
        Assert.Equal("FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS", credentials.Opaque);
        Assert.Equal("auth", credentials.Qop);
        Assert.Equal("00000001", credentials.NonceCount);
        Assert.Equal("SHA-256", credentials.AlgorithmName);
    }

    [Fact]
    public void Picks_sha256_among_several_challenges_whatever_their_order()
    {
        var server = CreateServer(_time);
        var challenges = server.CreateChallengeHeaderValues().Reverse().ToArray();
        var client = new DigestClient(User, Password);

        var result = client.Answer(challenges, "REGISTER", "sip:callswitch.local");

        Assert.Equal(DigestAlgorithm.Sha256, result.Challenge!.Algorithm);
        Assert.True(server.Verify("REGISTER", result.HeaderValue, _store).IsOk);
    }

    [Fact]
    public void Skips_unusable_challenges()
    {
        var client = new DigestClient(User, Password);
        string[] challenges =
        [
            "Basic realm=\"x\"",
            "Digest realm=\"r\", nonce=\"n\", algorithm=SHA-512-256, qop=\"auth\"",
            "Digest realm=\"r\", nonce=\"n\", qop=\"auth-conf\"",
            "Digest realm=\"r\", nonce=\"n\", algorithm=MD5-sess",
            "garbage",
        ];

        var result = client.Answer(challenges, "REGISTER", "sip:r");

        Assert.Equal(DigestClientStatus.NoUsableChallenge, result.Status);
        Assert.Null(result.HeaderValue);
    }

    [Fact]
    public void Nonce_count_increments_on_reuse_and_the_server_accepts_each()
    {
        var server = CreateServer(_time);
        var client = new DigestClient(User, Password);
        var first = client.Answer(server.CreateChallengeHeaderValues(), "REGISTER", "sip:callswitch.local");
        Assert.True(server.Verify("REGISTER", first.HeaderValue, _store).IsOk);

        Assert.True(client.TryAuthorize(Realm, "INVITE", "sip:1002@callswitch.local", default, out var second));
        Assert.True(client.TryAuthorize(Realm, "BYE", "sip:1002@10.0.0.2", default, out var third));

        Assert.True(DigestCredentials.TryParse(second, out var secondCredentials));
        Assert.True(DigestCredentials.TryParse(third, out var thirdCredentials));
        Assert.Equal("00000002", secondCredentials.NonceCount);
        Assert.Equal("00000003", thirdCredentials.NonceCount);
        Assert.NotEqual(secondCredentials.Cnonce, thirdCredentials.Cnonce);
        Assert.True(server.Verify("INVITE", second, _store).IsOk);
        Assert.True(server.Verify("BYE", third, _store).IsOk);
        Assert.False(client.TryAuthorize("other-realm", "BYE", "sip:x", default, out _));
    }

    [Fact]
    public void Stale_challenge_is_answered_even_after_sending_credentials()
    {
        var server = CreateServer(_time);
        var client = new DigestClient(User, Password);
        var first = client.Answer(server.CreateChallengeHeaderValues(), "REGISTER", "sip:callswitch.local");
        _time.Advance(TimeSpan.FromMinutes(6));
        var verdict = server.Verify("REGISTER", first.HeaderValue, _store);
        Assert.Equal(DigestVerificationStatus.Stale, verdict.Status);

        var retry = client.Answer(
            server.CreateChallengeHeaderValues(stale: true), "REGISTER", "sip:callswitch.local", previousAttemptCarriedCredentials: true);

        Assert.Equal(DigestClientStatus.AnsweredStale, retry.Status);
        Assert.True(DigestCredentials.TryParse(retry.HeaderValue, out var credentials));
        Assert.Equal("00000001", credentials.NonceCount);
        Assert.True(server.Verify("REGISTER", retry.HeaderValue, _store).IsOk);
    }

    [Fact]
    public void Non_stale_challenge_after_sending_credentials_is_a_rejection()
    {
        var server = CreateServer(_time);
        var client = new DigestClient(User, "wrong");
        var first = client.Answer(server.CreateChallengeHeaderValues(), "REGISTER", "sip:callswitch.local");
        Assert.Equal(DigestVerificationStatus.Failed, server.Verify("REGISTER", first.HeaderValue, _store).Status);

        var again = client.Answer(server.CreateChallengeHeaderValues(), "REGISTER", "sip:callswitch.local", previousAttemptCarriedCredentials: true);

        Assert.Equal(DigestClientStatus.Rejected, again.Status);
        Assert.False(again.IsAnswered);
    }

    [Fact]
    public void Answers_rfc2069_challenges_without_qop()
    {
        var client = new DigestClient(User, Password);

        var result = client.Answer(["Digest realm=\"callswitch\", nonce=\"4f7c2a9e1b\""], "REGISTER", "sip:127.0.0.1:5060");

        Assert.True(DigestCredentials.TryParse(result.HeaderValue, out var credentials));
        Assert.Null(credentials.Qop);
        Assert.Null(credentials.Cnonce);
        Assert.Null(credentials.NonceCount);
        Assert.Null(credentials.AlgorithmName);
        Assert.Equal("ad84bbc9b2fdaa767eb26d2e72cf33d7", credentials.Response);
    }

    [Fact]
    public void Answers_sess_challenges_with_a_stable_cnonce()
    {
        var cnonces = new Queue<string>(["0a4f113b", "ffffffff"]);
        var client = new DigestClient(User, Password, null, cnonces.Dequeue);

        var result = client.Answer(
            ["Digest realm=\"callswitch\", nonce=\"4f7c2a9e1b\", algorithm=MD5-sess, qop=\"auth\""], "REGISTER", "sip:127.0.0.1:5060");
        Assert.True(client.TryAuthorize(Realm, "REGISTER", "sip:127.0.0.1:5060", default, out var next));

        Assert.True(DigestCredentials.TryParse(result.HeaderValue, out var credentials));
        Assert.Equal("e6a56fe7b8de1a571fdce378dfbca19e", credentials.Response);
        Assert.Equal("MD5-sess", credentials.AlgorithmName);
        Assert.True(DigestCredentials.TryParse(next, out var nextCredentials));
        Assert.Equal("0a4f113b", nextCredentials.Cnonce);
    }

    [Fact]
    public void Answers_auth_int_only_challenges_over_the_body()
    {
        var body = "v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\n"u8.ToArray();
        var client = new DigestClient(User, Password, null, () => "c");

        var result = client.Answer(["Digest realm=\"callswitch\", nonce=\"n\", qop=\"auth-int\""], "INVITE", "sip:1002@x", body);

        Assert.True(DigestCredentials.TryParse(result.HeaderValue, out var credentials));
        Assert.Equal("auth-int", credentials.Qop);
        var ha1 = DigestCalculator.ComputeHa1(DigestAlgorithm.Md5, User, Realm, Password);
        var ha2 = DigestCalculator.ComputeHa2AuthInt(DigestAlgorithm.Md5, "INVITE", "sip:1002@x", body);
        Assert.Equal(DigestCalculator.ComputeResponse(DigestAlgorithm.Md5, ha1, "n", "00000001", "c", "auth-int", ha2), credentials.Response);
    }

    [Fact]
    public void Ha1_only_client_answers_its_realm_only()
    {
        var server = CreateServer(_time);
        var client = new DigestClient(DigestAccountHashes.FromPassword(User, Realm, Password));

        var ours = client.Answer(server.CreateChallengeHeaderValues(), "REGISTER", "sip:callswitch.local");
        var foreign = client.Answer(["Digest realm=\"carrier\", nonce=\"n\", qop=\"auth\""], "REGISTER", "sip:carrier");

        Assert.True(server.Verify("REGISTER", ours.HeaderValue, _store).IsOk);
        Assert.Equal(DigestClientStatus.NoUsableChallenge, foreign.Status);
    }
}
