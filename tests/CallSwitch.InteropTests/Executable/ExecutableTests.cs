using CallSwitch.Configuration;
using System.Net;
using CallSwitch.Server.Configuration;
using CallSwitch.Sip.Messages;
using CallSwitch.Sip.Transport;
using CallSwitch.TestSupport;
using CallSwitch.TestSupport.Sip;

namespace CallSwitch.InteropTests.Executable;

/// <summary>The real <c>callswitch</c> executable, run as a process the way an operator runs it.</summary>
public class ExecutableTests
{
    [Fact]
    public async Task ServesOnAConfigFileAnswersOptionsAndTheApiAndStopsOnSigterm()
    {
        int port = FreePorts.Next();
        int apiPort = FreePorts.Next();
        string config = ServeConfig(port, apiPort);

        using CallswitchProcess process = CallswitchProcess.Start("serve", "--config", config);
        await process.WaitForAsync("Listening for SIP on TCP", TimeSpan.FromSeconds(20));
        // The API starts after the SIP listeners.
        await process.WaitForAsync("HTTP API listening", TimeSpan.FromSeconds(20));

        await using RawSipClient client = await RawSipClient.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), SipProtocol.Udp);
        await client.SendAsync(Signalling.SipSeeds.Options("exe-options"));
        SipResponse? response = await client.ReceiveResponseAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(200, response?.StatusCode);
        Assert.Equal("CallSwitch", response!.Headers[HeaderId.Server]);

        // The embedded configuration's API, with its demo client's token.
        using (var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) })
        using (var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{apiPort}/api/v1/calls"))
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "demo-crm-token");
            using HttpResponseMessage api = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, api.StatusCode);
            Assert.Equal("{\"calls\":[]}", await api.Content.ReadAsStringAsync());
        }

        Assert.Equal(0, await process.StopAsync());
        Assert.Contains("CallSwitch stopping", process.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASigtermWhileTheApiIsStillStartingStopsCleanly()
    {
        string config = ServeConfig(FreePorts.Next(), FreePorts.Next());

        // SIP listens before the API starts: the signal lands in between (or just after).
        using CallswitchProcess process = CallswitchProcess.Start("serve", "--config", config);
        await process.WaitForAsync("Listening for SIP on TCP", TimeSpan.FromSeconds(20));
        int code = await process.StopAsync();

        Assert.True(code == 0, $"exit {code}:\n{process.Output}");
        Assert.Contains("CallSwitch stopping", process.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnApiPortAlreadyTakenExitsWithOneAndTheReasonAfterClosingSip()
    {
        using var squatter = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        int apiPort = ((IPEndPoint)squatter.LocalEndpoint).Port;
        string config = ServeConfig(FreePorts.Next(), apiPort);

        var (code, text) = await RunAsync("serve", "--config", config);

        Assert.True(code == 1, $"exit {code}:\n{text}");
        Assert.Contains("Listening for SIP on UDP", text, StringComparison.Ordinal);
        Assert.Contains("Cannot start the HTTP API:", text, StringComparison.Ordinal);
        Assert.Contains(apiPort.ToString(System.Globalization.CultureInfo.InvariantCulture), text, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SighupReloadsTheConfigurationAndTheSwitchGoesOn()
    {
        string config = ServeConfig(FreePorts.Next(), FreePorts.Next());
        using CallswitchProcess process = CallswitchProcess.Start("serve", "--config", config);
        await process.WaitForAsync("CallSwitch started", TimeSpan.FromSeconds(20));

        using (var hup = System.Diagnostics.Process.Start("kill", ["-HUP", process.Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await hup.WaitForExitAsync();
        }

        await process.WaitForAsync("Configuration reloaded (SIGHUP)", TimeSpan.FromSeconds(20));
        Assert.False(process.Process.HasExited);
        Assert.Equal(0, await process.StopAsync());
    }

    [Fact]
    public async Task RefusesToStartOnAnInvalidConfigurationAndSaysWhere()
    {
        string config = Path.Combine(Directory.CreateTempSubdirectory("callswitch-").FullName, "bad.yaml");
        await File.WriteAllTextAsync(config, "switch:\n  listen:\n    - protocol: udp\n      port: nope\n");

        var (code, text) = await RunAsync("serve", "--config", config);

        Assert.Equal(2, code);
        Assert.Contains("bad.yaml:4:13: 'port' must be a whole number", text, StringComparison.Ordinal);
        Assert.Contains("refusing to start", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfigCheckAcceptsTheShippedExample()
    {
        // The shipped file, beside announcement files made by the test (the check requires them).
        string shipped = Path.Combine(RepositoryRoot.Find(), "config", "callswitch.yaml");
        string copy = ConfigFixture.WriteConfig(await File.ReadAllTextAsync(shipped));

        var (code, text) = await RunAsync("config", "check", copy);

        Assert.True(code == 0, text);
        Assert.Contains("OK (2 listener(s), 3 agent(s))", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApiTokenPrintsATokenAndTheHashOfThatToken()
    {
        var (code, text) = await RunAsync("api-token", "--id", "crm-lyon");

        Assert.Equal(0, code);
        string token = System.Text.RegularExpressions.Regex.Match(text, @"token \(give it to the client, it is not stored\): ([A-Za-z0-9_-]{43})").Groups[1].Value;
        string hash = System.Text.RegularExpressions.Regex.Match(text, "token_sha256: ([0-9a-f]{64})").Groups[1].Value;
        Assert.Contains("- id: crm-lyon", text, StringComparison.Ordinal);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token))), hash);
    }

    [Fact]
    public async Task HashPasswordPrintsTheHa1Lines()
    {
        var (code, text) = await RunAsync("hash-password", "--user", "1001", "--realm", "callswitch", "--password", "demo1001");

        Assert.Equal(0, code);
        Assert.Contains("ha1_md5: a5ea1788971560c767244159a8053208", text, StringComparison.Ordinal);
        Assert.Contains("ha1_sha256: 2050e04bc7496c33394cdc271b997090e20cb9cd7e48efcea50f15513b1048a4", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HelpAndABadCommandLineAsAnOperatorSeesThem()
    {
        var (code, text) = await RunAsync("--help");
        Assert.Equal(0, code);
        Assert.Contains("callswitch [command] [options]", text, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^\s+recordings\s+\S", text);

        (code, text) = await RunAsync("recordings", "lsit");
        Assert.Equal(2, code);
        Assert.Equal("Unrecognized command or argument 'lsit'. Did you mean 'list'? (see callswitch recordings --help)", text.Trim());
    }

    /// <summary>The embedded configuration with its SIP listeners on <paramref name="sipPort"/> and its API on <paramref name="apiPort"/>, written beside its announcements, with its own spool and data folders.</summary>
    private static string ServeConfig(int sipPort, int apiPort) => ConfigFixture.WriteLocalConfig(yaml => yaml
        .Replace("port: 5060", $"port: {sipPort}", StringComparison.Ordinal)
        .Replace("port: 8089", $"port: {apiPort}", StringComparison.Ordinal));

    private static Task<(int Code, string Text)> RunAsync(params string[] args) => CallswitchProcess.RunAsync(args);
}
