using CallSwitch.Compliance.Access;
using CallSwitch.Compliance.Rules;
using CallSwitch.Configuration;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using CallSwitch.Recording.Vault;
using CallSwitch.Compliance.Storage;
using CallSwitch.Compliance.Storage.Sqlite;
using CallSwitch.Recording.Encryption;
using CallSwitch.Server.Configuration;
using CallSwitch.Server.Hosting;
using CallSwitch.InteropTests.Executable;
using CallSwitch.TestSupport;
using CallSwitch.TestSupport.Media;
using CallSwitch.TestSupport.Peers;
using Xunit.Abstractions;
using static CallSwitch.InteropTests.Calls.Softphones;

namespace CallSwitch.InteropTests.Calls;

/// <summary>
/// The crash test: the real switch (<c>callswitch serve</c>, a process of its own) records a call
/// between a SIPp agent and a SIPp trunk carrying known tones, is killed with SIGKILL mid-call,
/// and is started again on the same data and spool. The recording must come back as a valid,
/// exportable file holding the talk up to the last flush, and the metadata must be completed.
/// </summary>
public partial class CrashRecoveryTests(ITestOutputHelper output)
{
    private const double AgentHz = 440;
    private const double ProspectHz = 1000;
    private const string Number = "+33612345678";

    [Fact]
    public async Task AKilledSwitchRepairsTheRecordingOnRestartAndCompletesItsMetadata()
    {
        int sipPort = FreePorts.Next();
        int trunkPort = FreePorts.Next();

        // A relay range no other suite uses (39000-39999).
        int rtpMin = 39000 + (Environment.ProcessId % 45 * 20);
        string config = ConfigFixture.WriteLocalConfig(yaml => yaml
            .Replace("port: 5060", $"port: {sipPort}", StringComparison.Ordinal)
            .Replace("port: 5080", $"port: {trunkPort}", StringComparison.Ordinal)
            .Replace("port: 8089", $"port: {FreePorts.Next()}", StringComparison.Ordinal)
            .Replace("rtp_port_min: 20000", $"rtp_port_min: {rtpMin}", StringComparison.Ordinal)
            .Replace("rtp_port_max: 30000", $"rtp_port_max: {rtpMin + 18}", StringComparison.Ordinal));
        string folder = Path.GetDirectoryName(config)!;
        string data = Path.Combine(folder, "data");
        var server = new IPEndPoint(IPAddress.Loopback, sipPort);
        using var stopPeers = new CancellationTokenSource();
        await using var agentMedia = new RtpPeer();
        await using var trunkMedia = new RtpPeer();
        CallswitchProcess? first = null;
        CallswitchProcess? second = null;
        Task<SippResult>? trunk = null, agent = null;
        try
        {
            first = CallswitchProcess.Start("serve", "--config", config);
            await first.WaitForAsync("Listening for SIP on TCP", TimeSpan.FromSeconds(30));

            // The carrier answers and waits for a BYE that never comes; the agent calls and waits too.
            var trunkValues = new Dictionary<string, string>
            {
                ["RTP_PORT"] = trunkMedia.Port.ToString(CultureInfo.InvariantCulture),
                ["TRUNK_PT"] = "0",
                ["TRUNK_CODEC"] = "PCMU",
                ["HANGUP_BLOCK"] = CallHarness.Part("trunk-wait-bye"),
            };
            var agentValues = new Dictionary<string, string>
            {
                ["USER"] = "1001",
                ["PASSWORD"] = "demo1001",
                ["NUMBER"] = Number,
                ["RTP_PORT"] = agentMedia.Port.ToString(CultureInfo.InvariantCulture),
                ["AGENT_PT"] = "0",
                ["AGENT_CODEC"] = "PCMU",
            };
            agentValues["HANGUP_BLOCK"] = CallHarness.Fill(CallHarness.Part("agent-wait-bye"), agentValues);
            trunk = Sipp.RunAsync(CallHarness.Fill(CallHarness.Scenario("trunk-answer"), trunkValues), server, tcp: false, trunkValues, timeLimit: TimeSpan.FromSeconds(90), localPort: trunkPort, cancellationToken: stopPeers.Token);
            await Task.Delay(300);
            agent = Sipp.RunAsync(CallHarness.Scenario("agent-call"), server, tcp: false, agentValues, timeLimit: TimeSpan.FromSeconds(90), cancellationToken: stopPeers.Token);

            // SIPp does signalling only: the phones' media are the test's sockets, which learn the
            // switch's relay ports from its first packets (the notice to the prospect, then the
            // prospect's voice to the agent).
            byte[][] agentTone = CallHarness.PcmuTone(AgentHz, 400);
            byte[][] prospectTone = CallHarness.PcmuTone(ProspectHz, 400);
            IPEndPoint prospectLeg = await trunkMedia.FirstSender.WaitAsync(TimeSpan.FromSeconds(20));
            trunkMedia.StartSending(prospectLeg, 0, i => prospectTone[i % prospectTone.Length], ssrc: 0x7777);
            IPEndPoint agentLeg = await agentMedia.FirstSender.WaitAsync(TimeSpan.FromSeconds(20));
            agentMedia.StartSending(agentLeg, 0, i => agentTone[i % agentTone.Length]);
            DateTimeOffset agentStarted = DateTimeOffset.UtcNow;

            await first.WaitForAsync(" started (", TimeSpan.FromSeconds(10));
            Match started = RecordingStartedLine().Match(first.Output);
            Assert.True(started.Success, "no recording started:\n" + first.Output);
            var recordingId = Guid.Parse(started.Groups[1].Value);

            // Both talk for four seconds, then the switch dies without a chance to close anything.
            await Task.Delay(TimeSpan.FromSeconds(4));
            first.Process.Kill();
            DateTimeOffset killedAt = DateTimeOffset.UtcNow;
            await first.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            await stopPeers.CancelAsync();
            await agentMedia.StopSendingAsync();
            await trunkMedia.StopSendingAsync();

            // What the crash left: rows saved at the start, still open; a file without its final chunk.
            RecordingMetadata left;
            await using (SqliteMetadataStore store = SqliteMetadataStore.Open(new SqliteMetadataStoreOptions { DataDirectory = data }))
            {
                left = await store.GetRecordingAsync(recordingId) ?? throw new InvalidOperationException("no row for the recording before the restart\n" + first.Output);
                Assert.Equal(RecordingStatus.InProgress, left.Status);
                CallRecord? open = await store.GetCallAsync(left.CallId);
                Assert.NotNull(open);
                Assert.Null(open.EndedAt);
                Assert.True(open.Recorded);
            }

            using RecordingVault vault = RecordingVault.OpenExisting(data, Path.Combine(folder, "spool"), Serilog.Core.Logger.None);
            string file = left.FilePath!;
            long crashedSize = new FileInfo(file).Length;
            Assert.Throws<RecordingIntegrityException>(() =>
            {
                using var reader = vault.OpenRecording(file);
                reader.CopyTo(Stream.Null);
            });

            second = CallswitchProcess.Start("serve", "--config", config);
            await second.WaitForAsync("Listening for SIP on TCP", TimeSpan.FromSeconds(30));
            Assert.True(second.Output.Contains("Start-up recovery: 1 of 1 recording(s) left in progress completed, 1 call(s) left open ended", StringComparison.Ordinal), second.Output);
            Assert.True(second.Output.Contains($"Recording {recordingId:N} of call {left.CallId} recovered after a crash (Repaired)", StringComparison.Ordinal), second.Output);
            int secondExit = await second.StopAsync();
            Assert.True(secondExit == 0, $"exit {secondExit}:\n" + second.Output);

            RecordingMetadata repaired;
            CallRecord call;
            await using (SqliteMetadataStore store = SqliteMetadataStore.Open(new SqliteMetadataStoreOptions { DataDirectory = data }))
            {
                repaired = (await store.GetRecordingAsync(recordingId))!;
                call = (await store.GetCallAsync(left.CallId))!;

                // The operator exporting below: the CallSwitch user named like the OS user, a dpo (downloads are theirs only).
                await store.AddUserAsync(new NewUser(Environment.UserName, PasswordHasher.Hash("operator password"), null, [new(Role.Dpo, AccessScope.All)]), "test");
            }

            byte[] ciphertext = await File.ReadAllBytesAsync(file);
            Assert.Equal(RecordingStatus.Incomplete, repaired.Status);
            Assert.Equal(ciphertext.Length, repaired.FileSize);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(ciphertext)), repaired.CiphertextSha256);
            Assert.Equal(repaired.StartedAt + repaired.Duration!.Value, repaired.EndedAt);
            Assert.Equal(StartupRecovery.EndReason, call.EndReason);
            Assert.Equal(repaired.EndedAt, call.EndedAt);
            Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(file)!, "*" + CallSwitch.Recording.Repair.RecordingRepair.TemporarySuffix));

            // Exported through the CLI like an operator would, then judged by opusinfo, ffprobe, ffmpeg.
            string exported = Path.Combine(folder, "repaired.ogg");
            var (code, text) = await CallswitchProcess.RunAsync("recordings", "export", recordingId.ToString("N"), "--out", exported, "--request", "crash-test", "--config", config);
            Assert.True(code == 0, text);
            RecordedAudio audio = RecordedAudio.FromOgg(await File.ReadAllBytesAsync(exported));

            // At most one second lost: the page being filled (half a second), the playout delay and the kill's latency.
            double talk = (killedAt - repaired.StartedAt).TotalSeconds;
            double kept = repaired.Duration.Value.TotalSeconds;
            string lengths = $"talk {talk:F3} s, kept {kept:F3} s, opusinfo {audio.PlaybackLength:F3} s, decoded {audio.Seconds:F3} s, crashed file {crashedSize} bytes, repaired {ciphertext.Length} bytes{audio.Profile()}";
            output.WriteLine($"talk {talk:F3} s, kept {kept:F3} s (lost {talk - kept:F3} s), crashed file {crashedSize} bytes, repaired {ciphertext.Length} bytes");
            Assert.True(kept >= talk - 1.0 && kept <= talk + 0.05, lengths);
            Assert.True(Math.Abs(audio.PlaybackLength - kept) <= 0.03, lengths);
            Assert.True(Math.Abs(audio.Seconds - kept) <= 0.03, lengths);

            // While both talk, each channel carries its own party: the agent left, the prospect right.
            double from = (agentStarted - repaired.StartedAt).TotalSeconds + 0.3;
            double to = audio.Seconds - 0.1;
            Assert.True(to - from >= 2, "too little audio with both parties to measure: " + lengths);
            AtLeast20Db(audio.TonePower(0, AgentHz, from, to), audio.TonePower(0, ProspectHz, from, to), "left is the agent", lengths);
            AtLeast20Db(audio.TonePower(1, ProspectHz, from, to), audio.TonePower(1, AgentHz, from, to), "right is the prospect", lengths);
            Assert.True(audio.Power(0, from, to) > 1e5 && audio.Power(1, from, to) > 1e5, "a party is missing: " + lengths);
        }
        finally
        {
            await stopPeers.CancelAsync();
            first?.Dispose();
            second?.Dispose();
            foreach (Task<SippResult>? sipp in new[] { trunk, agent })
            {
                if (sipp is not null)
                {
                    await sipp.WaitAsync(TimeSpan.FromSeconds(20));
                }
            }

            Directory.Delete(folder, recursive: true);
        }
    }

    [GeneratedRegex(@"Recording ([0-9a-f]{32}) started \(")]
    private static partial Regex RecordingStartedLine();
}
