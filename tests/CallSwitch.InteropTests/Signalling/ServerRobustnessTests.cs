using System.Text;
using CallSwitch.Sip.Auth;
using CallSwitch.Sip.Messages;
using CallSwitch.Sip.Transport;
using CallSwitch.TestSupport.Sip;

namespace CallSwitch.InteropTests.Signalling;

/// <summary>
/// A running switch under hostile input: thousands of mutated messages over UDP and TCP must
/// neither crash it nor leak an exception, and it must still answer OPTIONS afterwards.
/// Repeated wrong passwords get the source blocked.
/// </summary>
public class ServerRobustnessTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    [Theory]
    [InlineData(SipProtocol.Udp, 3000)]
    [InlineData(SipProtocol.Tcp, 600)]
    public async Task SurvivesMutatedMessagesAndStillAnswersOptions(SipProtocol protocol, int count)
    {
        await using var sw = TestSwitch.Start();
        var mutator = new SipMutator(seed: 4475 + (int)protocol);
        RawSipClient client = await RawSipClient.ConnectAsync(sw.EndPoint, protocol);
        try
        {
            byte[][] seeds = Seeds(client);
            for (int i = 0; i < count; i++)
            {
                byte[] mutant = mutator.Mutate(seeds[i % seeds.Length]);
                if (protocol == SipProtocol.Udp && mutant.Length > 65_000)
                {
                    // The largest datagram there is: still far beyond the switch's limits.
                    mutant = mutant[..65_000];
                }
                try
                {
                    await client.SendAsync(mutant);
                }
                catch (System.Net.Sockets.SocketException) when (protocol == SipProtocol.Tcp)
                {
                    // The switch closes a stream it cannot frame: open a new one and go on.
                    await client.DisposeAsync();
                    client = await RawSipClient.ConnectAsync(sw.EndPoint, protocol);
                    seeds = Seeds(client);
                }

                if (protocol == SipProtocol.Tcp && i % 20 == 19)
                {
                    // Framing errors close streams silently; start afresh regularly so most mutants are read.
                    await client.DisposeAsync();
                    client = await RawSipClient.ConnectAsync(sw.EndPoint, protocol);
                    seeds = Seeds(client);
                }

                if (protocol == SipProtocol.Udp && i % 200 == 199)
                {
                    await Task.Delay(20);
                }
            }
        }
        finally
        {
            await client.DisposeAsync();
        }

        foreach (SipProtocol check in new[] { SipProtocol.Udp, SipProtocol.Tcp })
        {
            await using RawSipClient probe = await RawSipClient.ConnectAsync(sw.EndPoint, check);
            await probe.SendAsync(SipSeeds.Options("after-fuzz-" + check));
            SipResponse? ok = await probe.ReceiveResponseAsync(Wait, r => r.CallId == "after-fuzz-" + check);
            Assert.True(ok?.StatusCode == 200, $"no 200 to OPTIONS over {check} after the fuzzing; statistics: {sw.Host.Transport.Statistics}");
        }

        SipTransportStatistics stats = sw.Host.Transport.Statistics;
        Assert.True(stats.Malformed > count / 10, $"the mutants were not seen as malformed: {stats}");
        Assert.True(stats.ErrorResponsesSent > 0, $"no 400 was sent back for any malformed request: {stats}");
        Assert.Equal(0, stats.HandlerErrors);
        Assert.DoesNotContain("Failed to handle", sw.Log, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", sw.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnswersMalformedRequestWith400NamingTheProblem()
    {
        await using var sw = TestSwitch.Start();
        await using RawSipClient client = await RawSipClient.ConnectAsync(sw.EndPoint, SipProtocol.Udp);

        await client.SendAsync(SipSeeds.Options("bad-cl").Replace("Content-Length: 0", "Content-Length: -5", StringComparison.Ordinal));
        SipResponse? response = await client.ReceiveResponseAsync(Wait);

        Assert.NotNull(response);
        Assert.Equal(400, response.StatusCode);
        Assert.Contains("Content-Length", response.ReasonPhrase, StringComparison.Ordinal);
        Assert.Equal("bad-cl", response.CallId);
    }

    [Fact]
    public async Task BlocksSourceAfterRepeatedWrongPasswordsThenLetsItBackLater()
    {
        await using var sw = TestSwitch.Start(c => c with { Auth = c.Auth with { MaxFailures = 3, BlockSeconds = 2 } });
        await using RawSipClient client = await RawSipClient.ConnectAsync(sw.EndPoint, SipProtocol.Udp);

        uint cseq = 1;
        async Task<int> Attempt(string password)
        {
            SipResponse response = await RegisterResponseAsync(client, "1001", password, cseq, cseq + 1);
            cseq += 2;
            return response.StatusCode;
        }

        var statuses = new List<int>();
        for (int attempt = 0; attempt < 5; attempt++)
        {
            statuses.Add(await Attempt("wrong-password"));
        }

        // Three failures are answered with a new challenge, then the source is refused outright,
        // even with the right password, until the block expires.
        Assert.Equal([401, 401, 403, 403, 403], statuses);
        Assert.Equal(403, await Attempt("demo1001"));
        Assert.Contains("Blocking", sw.Log, StringComparison.Ordinal);

        await Task.Delay(TimeSpan.FromSeconds(2.5));
        Assert.Equal(200, await Attempt("demo1001"));
    }

    [Fact]
    public async Task UnknownUserAndWrongPasswordLookTheSame()
    {
        await using var sw = TestSwitch.Start();
        await using RawSipClient client = await RawSipClient.ConnectAsync(sw.EndPoint, SipProtocol.Udp);
        uint cseq = 1;

        SipResponse unknown = await RegisterResponseAsync(client, "9999", "whatever", cseq++, cseq++);
        SipResponse wrong = await RegisterResponseAsync(client, "1001", "whatever", cseq++, cseq++);

        Assert.Equal(wrong.StatusCode, unknown.StatusCode);
        Assert.Equal(wrong.ReasonPhrase, unknown.ReasonPhrase);
        Assert.Equal(
            wrong.Headers.Enumerate().Select(h => h.Name).ToArray(),
            unknown.Headers.Enumerate().Select(h => h.Name).ToArray());
        Assert.Equal(Shape(wrong.Headers.GetValues(HeaderId.WwwAuthenticate)), Shape(unknown.Headers.GetValues(HeaderId.WwwAuthenticate)));
    }

    private static string Shape(List<string> challenges) =>
        string.Join('|', challenges.Select(c => System.Text.RegularExpressions.Regex.Replace(c, "nonce=\"[^\"]*\"", "nonce=*")));

    private static async Task<SipResponse> RegisterResponseAsync(RawSipClient client, string user, string password, uint first, uint second)
    {
        string callId = "bf-" + Guid.NewGuid().ToString("N");
        await client.SendAsync(SipSeeds.Register(user, first, callId: callId));
        SipResponse challenge = await client.ReceiveResponseAsync(Wait, r => r.CallId == callId) ?? throw new TimeoutException("no challenge");
        if (challenge.StatusCode != 401)
        {
            return challenge;
        }

        var digest = new DigestClient(user, password);
        DigestClientResult answer = digest.Answer(challenge.Headers.GetValues(HeaderId.WwwAuthenticate), SipMethods.Register, "sip:127.0.0.1");
        Assert.True(answer.IsAnswered, answer.Reason);
        await client.SendAsync(SipSeeds.Register(user, second, answer.HeaderValue, callId));
        return await client.ReceiveResponseAsync(Wait, r => r.CallId == callId && r.CSeq?.Number == second) ?? throw new TimeoutException("no answer to the credentials");
    }

    private static byte[][] Seeds(RawSipClient client)
    {
        string Fill(string s) => s.Replace("{local}", client.LocalEndPoint.ToString(), StringComparison.Ordinal).Replace("{transport}", client.Transport, StringComparison.Ordinal);
        return
        [
            Encoding.UTF8.GetBytes(Fill(SipSeeds.Options())),
            Encoding.UTF8.GetBytes(Fill(SipSeeds.Register("1001", 1))),
            Encoding.UTF8.GetBytes(Fill(SipSeeds.Invite())),
        ];
    }
}
