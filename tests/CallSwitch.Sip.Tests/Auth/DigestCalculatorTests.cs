using CallSwitch.Sip.Auth;

namespace CallSwitch.Sip.Tests.Auth;

public sealed class DigestCalculatorTests
{
    // RFC 7616 §3.9.1: the HTTP example; the arithmetic is the same for SIP (method + digest-uri).
    private const string Rfc7616Realm = "http-auth@example.org";
    private const string Rfc7616Nonce = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v";
    private const string Rfc7616Cnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";

    [Theory]
    [InlineData(DigestAlgorithm.Md5, "8ca523f5e9506fed4657c9700eebdbec")]
    [InlineData(DigestAlgorithm.Sha256, "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1")]
    public void Rfc7616_example_responses(DigestAlgorithm algorithm, string expected)
    {
        var ha1 = DigestCalculator.ComputeHa1(algorithm, "Mufasa", Rfc7616Realm, "Circle of Life");
        var ha2 = DigestCalculator.ComputeHa2(algorithm, "GET", "/dir/index.html");

        var response = DigestCalculator.ComputeResponse(algorithm, ha1, Rfc7616Nonce, "00000001", Rfc7616Cnonce, "auth", ha2);

        Assert.Equal(expected, response);
    }

    [Fact]
    public void Rfc2617_example_response()
    {
        var ha1 = DigestCalculator.ComputeHa1(DigestAlgorithm.Md5, "Mufasa", "testrealm@host.com", "Circle Of Life");
        var ha2 = DigestCalculator.ComputeHa2(DigestAlgorithm.Md5, "GET", "/dir/index.html");

        var response = DigestCalculator.ComputeResponse(
            DigestAlgorithm.Md5, ha1, "dcd98b7102dd2f0e8b11d0f600bfb0c093", "00000001", "0a4f113b", "auth", ha2);

        Assert.Equal("6629fae49393a05397450978507c4ef1", response);
    }

    // Hand-computed SIP REGISTER (values checked with an independent implementation):
    // user 1001, realm callswitch, password s3cr3t, uri sip:127.0.0.1:5060, nonce 4f7c2a9e1b,
    // cnonce 0a4f113b, nc 00000001.
    [Theory]
    [InlineData(DigestAlgorithm.Md5, "91e83a08b7b79da6d7911c44509318ba", "b4610a56bf9ee3c961153365f43a70bb", "940a55c5595614daf3a3d18b37ca9911")]
    [InlineData(
        DigestAlgorithm.Sha256,
        "a6335ccc58e6b1c3dbdf6027949e9663d12faaeab197d66223c9435dd51bca64",
        "ce0f92f9b44948ecf6463e08c4b91bb7a944ac2f1aef8ca25c1bb7aabfd2b303",
        "cda1299fefd2d6698a4337d4fc192bd7a6bd5e89ae657be9e68e665ace0c082c")]
    public void Sip_register_example(DigestAlgorithm algorithm, string expectedHa1, string expectedHa2, string expectedResponse)
    {
        var ha1 = DigestCalculator.ComputeHa1(algorithm, "1001", "callswitch", "s3cr3t");
        var ha2 = DigestCalculator.ComputeHa2(algorithm, "REGISTER", "sip:127.0.0.1:5060");

        Assert.Equal(expectedHa1, ha1);
        Assert.Equal(expectedHa2, ha2);
        Assert.Equal(expectedResponse, DigestCalculator.ComputeResponse(algorithm, ha1, "4f7c2a9e1b", "00000001", "0a4f113b", "auth", ha2));
    }

    [Theory]
    [InlineData(DigestAlgorithm.Md5, "ad84bbc9b2fdaa767eb26d2e72cf33d7")]
    [InlineData(DigestAlgorithm.Sha256, "57d6ff260635b021253bc56ae5bedd4c9820cb71add1851b2499ceb5fb1e0be1")]
    public void Rfc2069_response_without_qop(DigestAlgorithm algorithm, string expected)
    {
        var ha1 = DigestCalculator.ComputeHa1(algorithm, "1001", "callswitch", "s3cr3t");
        var ha2 = DigestCalculator.ComputeHa2(algorithm, "REGISTER", "sip:127.0.0.1:5060");

        Assert.Equal(expected, DigestCalculator.ComputeResponse(algorithm, ha1, "4f7c2a9e1b", null, null, null, ha2));
    }

    [Theory]
    [InlineData(DigestAlgorithm.Md5Session, "e6a56fe7b8de1a571fdce378dfbca19e")]
    [InlineData(DigestAlgorithm.Sha256Session, "aba8adc874b1e34e98640116da05f6da815a9553685da78fe422431a4dc8cf10")]
    public void Session_variants(DigestAlgorithm algorithm, string expected)
    {
        var ha1 = DigestCalculator.ComputeHa1(algorithm, "1001", "callswitch", "s3cr3t");
        var sessionHa1 = DigestCalculator.ComputeSessionHa1(algorithm, ha1, "4f7c2a9e1b", "0a4f113b");
        var ha2 = DigestCalculator.ComputeHa2(algorithm, "REGISTER", "sip:127.0.0.1:5060");

        Assert.Equal(expected, DigestCalculator.ComputeResponse(algorithm, sessionHa1, "4f7c2a9e1b", "00000001", "0a4f113b", "auth", ha2));
    }

    [Fact]
    public void Account_hashes_hold_both_algorithms()
    {
        var hashes = DigestAccountHashes.FromPassword("1001", "callswitch", "s3cr3t");

        Assert.Equal("91e83a08b7b79da6d7911c44509318ba", hashes.GetHa1(DigestAlgorithm.Md5));
        Assert.Equal("a6335ccc58e6b1c3dbdf6027949e9663d12faaeab197d66223c9435dd51bca64", hashes.GetHa1(DigestAlgorithm.Sha256));
        Assert.Equal(hashes.Md5Ha1, hashes.GetHa1(DigestAlgorithm.Md5Session));
        Assert.DoesNotContain(hashes.Md5Ha1, hashes.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Long_utf8_inputs_hash_like_short_ones()
    {
        var password = new string('é', 2000);
        var viaCalculator = DigestCalculator.ComputeHa1(DigestAlgorithm.Sha256, "ü", "r", password);
        var direct = Convert.ToHexStringLower(
            System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("ü:r:" + password)));

        Assert.Equal(direct, viaCalculator);
    }

    [Fact]
    public void Auth_int_hashes_the_body()
    {
        var body = "v=0\r\n"u8.ToArray();
        var bodyHash = Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(body));

        var ha2 = DigestCalculator.ComputeHa2AuthInt(DigestAlgorithm.Md5, "INVITE", "sip:bob@example.com", body);

        Assert.Equal(DigestCalculator.Hash(DigestAlgorithm.Md5, "INVITE", "sip:bob@example.com", bodyHash), ha2);
    }

    [Theory]
    [InlineData("MD5", DigestAlgorithm.Md5)]
    [InlineData("md5", DigestAlgorithm.Md5)]
    [InlineData("SHA-256", DigestAlgorithm.Sha256)]
    [InlineData("sha-256-SESS", DigestAlgorithm.Sha256Session)]
    [InlineData("MD5-sess", DigestAlgorithm.Md5Session)]
    public void Algorithm_names_parse_case_insensitively(string name, DigestAlgorithm expected)
    {
        Assert.True(DigestAlgorithms.TryParse(name, out var algorithm));
        Assert.Equal(expected, algorithm);
    }

    [Theory]
    [InlineData("SHA-512-256")]
    [InlineData("AKAv1-MD5")]
    [InlineData("")]
    public void Unsupported_algorithm_names_are_refused(string name) =>
        Assert.False(DigestAlgorithms.TryParse(name, out _));

    [Fact]
    public void Nonce_count_is_eight_lower_case_hex_digits()
    {
        Assert.Equal("00000001", DigestCalculator.FormatNonceCount(1));
        Assert.Equal("000000ff", DigestCalculator.FormatNonceCount(255));
    }
}
