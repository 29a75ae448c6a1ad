using CallSwitch.Compliance.Storage;
using CallSwitch.Compliance.Rules;
using CallSwitch.Configuration;
using System.Collections.Concurrent;
using CallSwitch.Calls.Recording;
using CallSwitch.Calls.Sessions;

namespace CallSwitch.InteropTests.Calls;

/// <summary>
/// Recorded calls through the switch with real peers (SIPp agent, SIPp trunk, the test's RTP
/// sockets sending known tones): the encrypted spool file is decrypted, judged by opusinfo and
/// decoded by ffmpeg, and each channel is measured.
/// </summary>
public class CallRecordingTests
{
    private const double NoticeHz = 2000;
    private const double AgentHz = 440;
    private const double ProspectHz = 1000;

    [Fact]
    public async Task AlwaysModeRecordsTheNoticeThenTheAgentLeftAndTheProspectRightForTheConnectedTime()
    {
        var rule = new RecordingRule
        {
            CampaignId = "spring",
            Mode = RecordingMode.Always,
            RecordAnnouncement = true,
            Purposes = ["training"],
            LegalBasis = LegalBasis.LegitimateInterest,
            RetentionDays = 30,
        };
        await using var h = CallHarness.Start(recording: rule, noticeHz: NoticeHz);
        var finished = new ConcurrentQueue<RecordingResult>();
        h.Switch.Host.Recordings!.Finished += finished.Enqueue;

        // From the start of their media (packet i at i × 20 ms): the agent says 440 Hz for 4 s,
        // the prospect 1 kHz from 2.5 s on; from the answer the switch plays the 1 s notice (2 kHz)
        // to the prospect. So: notice, agent alone, both at once, prospect alone.
        byte[][] agentTone = CallHarness.PcmuTone(AgentHz, 400);
        byte[][] prospectTone = CallHarness.PcmuTone(ProspectHz, 400);
        byte[] silence = Enumerable.Repeat((byte)0xFF, 160).ToArray();
        // The peers' timers may lag on a loaded machine: note when each change was really sent.
        long agentStopped = 0, prospectStarted = 0;
        h.AgentPayload = i =>
        {
            if (i == 200)
            {
                Interlocked.Exchange(ref agentStopped, DateTimeOffset.UtcNow.UtcTicks);
            }

            return i < 200 ? agentTone[i % agentTone.Length] : silence;
        };
        h.ProspectPayload = i =>
        {
            if (i == 125)
            {
                Interlocked.Exchange(ref prospectStarted, DateTimeOffset.UtcNow.UtcTicks);
            }

            return i >= 125 ? prospectTone[i % prospectTone.Length] : silence;
        };

        var (agent, trunk) = await h.RunAsync("trunk-answer", agentHangup: "agent-bye", trunkHangup: "trunk-wait-bye", talkMs: 7000);

        Assert.True(agent.ExitCode == 0, "agent: " + agent + "\n--- switch log ---\n" + h.Switch.Log);
        Assert.True(trunk.ExitCode == 0, "trunk: " + trunk + "\n--- switch log ---\n" + h.Switch.Log);
        B2buaCall call = h.LastCall ?? throw new InvalidOperationException("the call never reached the media stage\n" + h.Switch.Log);
        await call.Completion.WaitAsync(TimeSpan.FromSeconds(5));

        // One result, raised before the call completed, with what the metadata store needs.
        RecordingResult result = Assert.Single(finished);
        Assert.Equal(result, Assert.Single(call.Recording!.Results));
        Assert.Equal(RecordingStatus.Complete, result.Status);
        Assert.Equal(RecordingStopReason.CallEnded, result.StopReason);
        Assert.Equal(0, result.DroppedPackets);
        Assert.Equal(call.Id, result.CallId);
        Assert.Equal("spring:always", result.RuleId);
        Assert.Equal("1001", result.Agent);
        Assert.Equal(CallHarness.Number, result.ProspectNumber);
        Assert.True(result.AnnouncementRecorded);
        Assert.NotNull(result.AnnouncementEndedAt);
        Assert.True(result.AnnouncementPlayedInFull);
        Assert.Equal(h.Notice.Sha256, result.AnnouncementSha256);
        Assert.Equal(["training"], result.Purposes);
        Assert.Equal(LegalBasis.LegitimateInterest, result.LegalBasis);
        Assert.Equal(result.StartedAt.AddDays(30), result.RetentionDeadline);
        Assert.Empty(result.PauseSpans);

        // The file: in the spool under the start's date, named by the recording id, never the number.
        DateTime day = result.StartedAt.UtcDateTime;
        Assert.NotNull(result.FilePath);
        Assert.Equal(Path.Combine(h.SpoolPath!, day.ToString("yyyy"), day.ToString("MM"), day.ToString("dd"), result.RecordingId + ".ogg.enc"), result.FilePath);
        Assert.Equal([result.FilePath], Directory.GetFiles(h.SpoolPath!, "*", SearchOption.AllDirectories));
        Assert.DoesNotContain("33612345678", result.FilePath, StringComparison.Ordinal);
        byte[] ciphertext = File.ReadAllBytes(result.FilePath);
        Assert.Equal(result.FileSize, ciphertext.Length);
        Assert.Equal(result.CiphertextSha256, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(ciphertext)));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(result.FilePath));
        }

        RecordedAudio audio = RecordedAudio.Open(result.FilePath, h.RecordingKeys!);
        Assert.Contains("RECORDING_ID=" + result.RecordingId, System.Text.Encoding.ASCII.GetString(audio.Ogg), StringComparison.Ordinal);
        Assert.DoesNotContain("33612345678", System.Text.Encoding.ASCII.GetString(audio.Ogg), StringComparison.Ordinal);

        // Its length is the connected time: answer to hang-up (the agent talked 7 s).
        TimeSpan connected = result.EndedAt - call.AnsweredAt!.Value;
        string lengths = $"recorded {result.Duration.TotalSeconds:F3} s, connected {connected.TotalSeconds:F3} s, opusinfo {audio.PlaybackLength:F3} s, decoded {audio.Seconds:F3} s";
        lengths += audio.Profile();
        Assert.True(Math.Abs((result.Duration - connected).TotalSeconds) <= 0.5, lengths);
        // The agent talked 7 s; SIPp's own timer may end the call late on a loaded machine (seen: 8.0 s).
        Assert.True(result.Duration.TotalSeconds is >= 6.5 and <= 8.5, lengths);
        Assert.True(Math.Abs(audio.PlaybackLength - result.Duration.TotalSeconds) <= 0.03, lengths);
        Assert.True(Math.Abs(audio.Seconds - result.Duration.TotalSeconds) <= 0.03, lengths);


        // Until the connection (1 s of notice, later if the media clock lagged): the notice on the
        // left, as the prospect heard it, and not the agent, whom the prospect could not hear yet.
        double connectedAt = (result.AnnouncementEndedAt!.Value - result.StartedAt).TotalSeconds;
        lengths += $", connected at {connectedAt:F3} s";
        AtLeast20Db(audio.TonePower(0, NoticeHz, 0.05, connectedAt - 0.1), audio.TonePower(0, AgentHz, 0.05, connectedAt - 0.1), "left: notice over agent during the notice", lengths);
        AtLeast20Db(audio.Power(0, 0.05, connectedAt - 0.1), audio.Power(1, 0.05, connectedAt - 0.1), "notice: left over right", lengths);

        // The parties' audio sits in the file where it was sent (within the 100 ms playout delay).
        double both = (new DateTimeOffset(Interlocked.Read(ref prospectStarted), TimeSpan.Zero) - result.StartedAt).TotalSeconds;
        double alone = (new DateTimeOffset(Interlocked.Read(ref agentStopped), TimeSpan.Zero) - result.StartedAt).TotalSeconds;
        lengths += $", prospect started at {both:F3} s, agent stopped at {alone:F3} s";
        Assert.True(both - connectedAt >= 0.6 && alone - both >= 0.6 && audio.Seconds - alone >= 1, "the peers lagged too much to measure: " + lengths);

        // The agent alone, on the left only.
        AtLeast20Db(audio.TonePower(0, AgentHz, connectedAt + 0.25, both - 0.15), audio.TonePower(0, ProspectHz, connectedAt + 0.25, both - 0.15), "left: agent tone", lengths);
        AtLeast20Db(audio.Power(0, connectedAt + 0.25, both - 0.15), audio.Power(1, connectedAt + 0.25, both - 0.15), "agent alone: left over right", lengths);

        // Both talk; each channel carries its own party, the other ≥ 20 dB below.
        AtLeast20Db(audio.TonePower(0, AgentHz, both + 0.15, alone - 0.15), audio.TonePower(0, ProspectHz, both + 0.15, alone - 0.15), "both: left is the agent", lengths);
        AtLeast20Db(audio.TonePower(1, ProspectHz, both + 0.15, alone - 0.15), audio.TonePower(1, AgentHz, both + 0.15, alone - 0.15), "both: right is the prospect", lengths);

        // The prospect alone, on the right only.
        AtLeast20Db(audio.TonePower(1, ProspectHz, alone + 0.25, audio.Seconds - 0.3), audio.TonePower(1, AgentHz, alone + 0.25, audio.Seconds - 0.3), "right: prospect tone", lengths);
        AtLeast20Db(audio.Power(1, alone + 0.25, audio.Seconds - 0.3), audio.Power(0, alone + 0.25, audio.Seconds - 0.3), "prospect alone: right over left", lengths);

        string[] lines = h.Switch.Log.Split('\n').Where(l => l.Contains(" " + call.Id + " ", StringComparison.Ordinal)).ToArray();
        Assert.Contains(lines, l => l.Contains("Recording rule spring:always", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("Recording " + result.RecordingId + " finished", StringComparison.Ordinal));
    }

    [Fact]
    public async Task NeverModeLeavesNoFile()
    {
        var rule = new RecordingRule { CampaignId = "spring", Mode = RecordingMode.Never };
        await using var h = CallHarness.Start(recording: rule);
        var finished = new ConcurrentQueue<RecordingResult>();
        h.Switch.Host.Recordings!.Finished += finished.Enqueue;

        var (agent, trunk) = await h.RunAsync("trunk-answer", agentHangup: "agent-bye", trunkHangup: "trunk-wait-bye", talkMs: 2000);

        Assert.True(agent.ExitCode == 0, "agent: " + agent + "\n--- switch log ---\n" + h.Switch.Log);
        Assert.True(trunk.ExitCode == 0, "trunk: " + trunk + "\n--- switch log ---\n" + h.Switch.Log);
        B2buaCall call = h.LastCall ?? throw new InvalidOperationException("no call\n" + h.Switch.Log);
        await call.Completion.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(RecordingStart.Never, call.Recording!.Decision.Start);
        Assert.False(call.Recording.Start());
        Assert.Empty(call.Recording.Results);
        Assert.Empty(finished);
        Assert.Empty(Directory.GetFileSystemEntries(h.SpoolPath!, "*", SearchOption.AllDirectories));
        Assert.Contains("Recording rule spring:never", h.Switch.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnwritableSpoolLeavesTheCallUnrecordedButConnected()
    {
        // The spool is a file: no directory can be made under it.
        string blocker = Path.GetTempFileName();
        try
        {
            var rule = new RecordingRule { CampaignId = "spring", Mode = RecordingMode.Always };
            await using var h = CallHarness.Start(recording: rule, spool: blocker);

            var (agent, trunk) = await h.RunAsync("trunk-answer", agentHangup: "agent-bye", trunkHangup: "trunk-wait-bye", talkMs: 2500);

            Assert.True(agent.ExitCode == 0, "agent: " + agent + "\n--- switch log ---\n" + h.Switch.Log);
            Assert.True(trunk.ExitCode == 0, "trunk: " + trunk + "\n--- switch log ---\n" + h.Switch.Log);
            B2buaCall call = h.LastCall ?? throw new InvalidOperationException("no call\n" + h.Switch.Log);
            await call.Completion.WaitAsync(TimeSpan.FromSeconds(5));
            Assert.Equal(CallEnd.AgentHungUp, call.EndReason);
            Assert.Empty(call.Recording!.Results);
            Assert.Equal(1, h.Switch.Host.Recordings!.Failures);
            Assert.Contains("Recording not started", h.Switch.Log, StringComparison.Ordinal);

            // The parties still heard each other.
            Assert.True(h.AgentMedia.Received.Count(p => p.Payload.AsSpan().SequenceEqual(CallHarness.ProspectVoice)) >= 25, h.Switch.Log);
        }
        finally
        {
            File.Delete(blocker);
        }
    }

    private static void AtLeast20Db(double power, double reference, string what, string context)
    {
        double db = RecordedAudio.Decibels(power, reference);
        Assert.True(db >= 20, $"{what}: only {db:F1} dB ({context})");
    }
}
