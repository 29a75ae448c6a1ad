using System.Diagnostics;
using System.Net;
using CallSwitch.Server.Configuration;
using CallSwitch.Sip.Messages;
using CallSwitch.Sip.Transport;
using CallSwitch.TestSupport;
using CallSwitch.TestSupport.Sip;

namespace CallSwitch.Server.Tests.Cli;

/// <summary>The real <c>callswitch</c> executable, run as a process the way an operator runs it.</summary>
public class ExecutableTests
{
    private static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "callswitch.dll");

    [Fact]
    public async Task ServesOnAConfigFileAnswersOptionsAndTheApiAndStopsOnSigterm()
    {
        int port = FreePorts.Next();
        int apiPort = FreePorts.Next();
        string config = Configuration.ConfigFixture.WriteConfig(EmbeddedConfig.Text()
            .Replace("port: 5060", $"port: {port}", StringComparison.Ordinal)
            .Replace("port: 8089", $"port: {apiPort}", StringComparison.Ordinal));

        using Process process = Start("serve", "--config", config);
        var output = new OutputCollector(process);
        try
        {
            await output.WaitForAsync("Listening for SIP on TCP", TimeSpan.FromSeconds(20));
            // The API starts after the SIP listeners.
            await output.WaitForAsync("HTTP API listening", TimeSpan.FromSeconds(20));

            await using RawSipClient client = await RawSipClient.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), SipProtocol.Udp);
            await client.SendAsync(Interop.SipSeeds.Options("exe-options"));
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

            using (Process kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await process.WaitForExitAsync(cts.Token);
            Assert.Equal(0, process.ExitCode);
            Assert.Contains("CallSwitch stopping", output.Text, StringComparison.Ordinal);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
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
        string shipped = Path.Combine(Configuration.ConfigFixture.FindRepositoryRoot(), "config", "callswitch.yaml");
        string copy = Configuration.ConfigFixture.WriteConfig(await File.ReadAllTextAsync(shipped));

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

    private static Process Start(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(Dll);
        foreach (string arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        return Process.Start(psi) ?? throw new InvalidOperationException("callswitch did not start");
    }

    private static async Task<(int Code, string Text)> RunAsync(params string[] args)
    {
        using Process process = Start(args);
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(cts.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>Collects a running process's output and waits for a line.</summary>
    private sealed class OutputCollector
    {
        private readonly System.Text.StringBuilder _text = new();
        private readonly Lock _lock = new();

        public OutputCollector(Process process)
        {
            process.OutputDataReceived += (_, e) => Append(e.Data);
            process.ErrorDataReceived += (_, e) => Append(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public string Text
        {
            get
            {
                lock (_lock)
                {
                    return _text.ToString();
                }
            }
        }

        public async Task WaitForAsync(string needle, TimeSpan timeout)
        {
            var deadline = DateTime.UtcNow + timeout;
            while (!Text.Contains(needle, StringComparison.Ordinal))
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"'{needle}' not seen in the output:\n{Text}");
                }

                await Task.Delay(50);
            }
        }

        private void Append(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (_lock)
            {
                _text.AppendLine(line);
            }
        }
    }
}
