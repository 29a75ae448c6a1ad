using BenchmarkDotNet.Attributes;
using CallSwitch.Sip.Auth;

namespace CallSwitch.Benchmarks.Sip;

/// <summary>
/// The server's digest check of one request (parse the credentials, look up HA1, compute and
/// compare the response, check the nonce and its count), for MD5 and SHA-256. The credentials
/// come from a pool answered by <see cref="DigestClient"/> with increasing nonce counts; once the
/// pool wraps, a count repeats and the check ends Stale at its very last step (a dictionary
/// look-up), so the cost measured is the same either way.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class DigestBenchmarks
{
    private const int Pool = 4096;
    private const string Uri = "sip:127.0.0.1:5060";
    private readonly InMemoryDigestCredentialStore _store = new();
    private DigestServer _server = null!;
    private string[] _md5 = null!;
    private string[] _sha256 = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _server = new DigestServer(new DigestServerOptions { Realm = "callswitch" }, TimeProvider.System);
        _store.SetPassword("1001", "callswitch", "demo1001");
        _md5 = Answers(DigestAlgorithm.Md5);
        _sha256 = Answers(DigestAlgorithm.Sha256);
        if (!_server.Verify("REGISTER", _md5[0], _store).IsOk || !_server.Verify("REGISTER", _sha256[0], _store).IsOk)
        {
            throw new InvalidOperationException("The benchmark's credentials do not verify.");
        }
    }

    [Benchmark(Baseline = true)]
    public DigestVerificationResult VerifyMd5() => _server.Verify("REGISTER", _md5[_next++ & (Pool - 1)], _store);

    [Benchmark]
    public DigestVerificationResult VerifySha256() => _server.Verify("REGISTER", _sha256[_next++ & (Pool - 1)], _store);

    private string[] Answers(DigestAlgorithm algorithm)
    {
        string challenge = _server.CreateChallenges().Single(c => c.Algorithm == algorithm).ToHeaderValue();
        var client = new DigestClient("1001", "demo1001");
        var answers = new string[Pool];
        answers[0] = client.Answer([challenge], "REGISTER", Uri).HeaderValue!;
        for (int i = 1; i < Pool; i++)
        {
            client.TryAuthorize("callswitch", "REGISTER", Uri, default, out answers[i]!);
        }

        return answers;
    }
}
