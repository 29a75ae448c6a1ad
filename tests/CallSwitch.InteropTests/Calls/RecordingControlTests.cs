using CallSwitch.Compliance.Rules;
using CallSwitch.Configuration;
using System.Collections.Concurrent;
using CallSwitch.Calls.Control;
using CallSwitch.Calls.Recording;
using CallSwitch.Calls.Sessions;
using CallSwitch.Compliance.Storage;
using CallSwitch.Media.Dtmf;
using CallSwitch.Server.Hosting;
using CallSwitch.TestSupport.Media;
using CallSwitch.TestSupport.Peers;
using Xunit.Abstractions;
using CallsRecordingStatus = CallSwitch.Compliance.Storage.RecordingStatus;
using static CallSwitch.InteropTests.Calls.Softphones;

namespace CallSwitch.InteropTests.Calls;

/// <summary>
/// Recording controls by key presses on real calls (SIPp agent and trunk, the tests' RTP sockets
/// sending tones and RFC 4733 events): pause and resume, the agent's keys kept from the prospect,
/// opposition by the prospect during the notice and by the agent mid-call, on-demand start. Files
/// are decrypted and judged by opusinfo and ffmpeg; the metadata store is read back.
/// </summary>
public class RecordingControlTests(ITestOutputHelper output)
{
    private const double AgentHz = 440;
    private const double ProspectHz = 1000;
    private const int TelephoneEvent = 101;

    [Fact]
    public async Task TheAgentPausesThenResumesAndThePausedSpanIsSilentOnBothChannelsAndStored()
    {
        string data = Directory.CreateTempSubdirectory("cs-data-").FullName;
        try
        {
            await using var h = CallHarness.Start(recording: Rule(RecordingMode.Always), noticeHz: 2000, dataPath: data);
            Talk(h);
            var states = new ConcurrentQueue<RecordingState>();
            Task script = Task.CompletedTask;

            var (agent, trunk) = await h.RunAsync("trunk-answer", "agent-bye", "trunk-wait-bye", talkMs: 6500, onAnswered: call => script = ScriptAsync(call));

            async Task ScriptAsync(B2buaCall call)
            {
                await WhenConnectedAsync(call);
                await Task.Delay(1000);
                Press(h.AgentMedia, "*1");
                states.Enqueue(await StateAsync(h, call, RecordingState.Paused));
                await Task.Delay(2000);
                Press(h.AgentMedia, "*2");
                states.Enqueue(await StateAsync(h, call, RecordingState.Recording));
            }

            B2buaCall call = await EndedAsync(h, agent, trunk, script);
            Assert.Equal([RecordingState.Paused, RecordingState.Recording], states);
            RecordingResult result = Assert.Single(call.Recording!.Results);
            Assert.Null(result.Opposition);
            Assert.Equal(CallsRecordingStatus.Complete, result.Status);
            var span = Assert.Single(result.PauseSpans);
            double start = span.Start.TotalSeconds;
            double end = span.End!.Value.TotalSeconds;

            // A valid file (opusinfo, ffmpeg); silence for the paused span on both channels.
            RecordedAudio audio = RecordedAudio.Open(result.FilePath!, h.RecordingKeys!);
            double connectedAt = (result.AnnouncementEndedAt!.Value - result.StartedAt).TotalSeconds;
            string context = $"pause {start:F3}-{end:F3} s, connected at {connectedAt:F3} s, {audio.Seconds:F3} s decoded{audio.Profile()}";
            // The keys are 2 s apart; a busy test process can press the second one late (3.1 s seen
            // in CI), never early, and the span must still be far from the whole call (6.5 s).
            Assert.InRange(end - start, 1.8, 4);
            double pausedLeft = audio.Power(0, start + 0.05, end - 0.05);
            double pausedRight = audio.Power(1, start + 0.05, end - 0.05);
            Assert.True(pausedLeft < 4 && pausedRight < 4, $"paused span not silent: {pausedLeft:F1}, {pausedRight:F1} ({context})");
            output.WriteLine($"paused span power: left {pausedLeft:G3}, right {pausedRight:G3}; {context}");

            // Each party on its channel before (until the agent's keys replaced their audio) and after.
            double beforeFrom = connectedAt + 0.2, beforeTo = start - 0.4, afterFrom = end + 0.35, afterTo = audio.Seconds - 0.3;
            Assert.True(beforeTo - beforeFrom >= 0.3 && afterTo - afterFrom >= 0.5, "the peers lagged too much to measure: " + context);
            foreach (var (from, to) in new[] { (beforeFrom, beforeTo), (afterFrom, afterTo) })
            {
                AtLeast20Db(audio.TonePower(0, AgentHz, from, to), audio.TonePower(0, ProspectHz, from, to), $"left: agent [{from:F2}, {to:F2})", context);
                AtLeast20Db(audio.TonePower(1, ProspectHz, from, to), audio.TonePower(1, AgentHz, from, to), $"right: prospect [{from:F2}, {to:F2})", context);
                AtLeast20Db(audio.Power(0, from, to), pausedLeft, "left over the pause", context);
                AtLeast20Db(audio.Power(1, from, to), pausedRight, "right over the pause", context);
            }

            // The store keeps the span.
            CallArchive archive = h.Switch.Host.Archive!;
            await archive.FlushAsync().WaitAsync(TimeSpan.FromSeconds(10));
            RecordingMetadata stored = await archive.Store.GetRecordingAsync(Guid.Parse(result.RecordingId)) ?? throw new InvalidOperationException("no recording row\n" + h.Switch.Log);
            RecordingPause pause = Assert.Single(stored.Pauses);
            Assert.True((span.Start - pause.Start).Duration() < TimeSpan.FromMilliseconds(1), $"{span} stored as {pause}");
            Assert.True((span.End!.Value - pause.End!.Value).Duration() < TimeSpan.FromMilliseconds(1), $"{span} stored as {pause}");
            Assert.Null(stored.Opposition);

            string[] lines = h.Switch.Log.Split('\n');
            Assert.Contains(lines, l => l.Contains(call.Id, StringComparison.Ordinal) && l.Contains("Recording " + result.RecordingId + " paused by the agent's keys", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.Contains(call.Id, StringComparison.Ordinal) && l.Contains("Recording " + result.RecordingId + " resumed by the agent's keys", StringComparison.Ordinal));
            Assert.DoesNotContain(h.TrunkMedia.Received, p => p.PayloadType == TelephoneEvent);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task TheAgentsControlKeysNeverReachTheTrunkWhileOtherKeysPassBothWays()
    {
        await using var h = CallHarness.Start(recording: Rule(RecordingMode.Always));
        Task script = Task.CompletedTask;

        var (agent, trunk) = await h.RunAsync("trunk-answer", "agent-bye", "trunk-wait-bye", talkMs: 6000, onAnswered: call => script = ScriptAsync(call));

        async Task ScriptAsync(B2buaCall call)
        {
            await WhenConnectedAsync(call);
            await Task.Delay(300);

            // Pause (withheld), an ordinary 5 (relayed), "*5" (the star is dropped, the 5 relayed), resume (withheld).
            Press(h.AgentMedia, "*1");
            await StateAsync(h, call, RecordingState.Paused);
            Press(h.AgentMedia, "5*5*2");
            await StateAsync(h, call, RecordingState.Recording);

            // The prospect's keys reach the agent.
            Press(h.TrunkMedia, "7");
            await Task.Delay(400);
        }

        B2buaCall call = await EndedAsync(h, agent, trunk, script);

        // At the trunk: the two 5s, nothing of the agent's sequences.
        ReceivedRtp[] atTrunk = h.TrunkMedia.Received.Where(p => p.PayloadType == TelephoneEvent).ToArray();
        Assert.True(atTrunk.Length >= 8, $"{atTrunk.Length} telephone-event packets reached the trunk\n{h.Switch.Log}");
        Assert.All(atTrunk, p => Assert.Equal(5, p.Payload[0]));
        Assert.Equal(2, atTrunk.Select(p => p.Timestamp).Distinct().Count());
        Assert.Equal(5 * 6, call.Media!.Session.LegA.Counters.TelephoneEventsWithheld);

        // The withheld packets leave no hole in the trunk's stream: a pause, not a loss.
        ReceivedRtp[] stream = h.TrunkMedia.Received.ToArray();
        Assert.All(stream.Skip(1).Zip(stream), pair => Assert.Equal((ushort)(pair.Second.Sequence + 1), pair.First.Sequence));

        // At the agent: the prospect's 7.
        ReceivedRtp[] atAgent = h.AgentMedia.Received.Where(p => p.PayloadType == TelephoneEvent).ToArray();
        Assert.True(atAgent.Length >= 4, $"{atAgent.Length} telephone-event packets reached the agent\n{h.Switch.Log}");
        Assert.All(atAgent, p => Assert.Equal(7, p.Payload[0]));

        // The switch saw every key, but never writes down the prospect's (a card number, maybe).
        Assert.Contains("DTMF key from the prospect", h.Switch.Log, StringComparison.Ordinal);
        Assert.DoesNotContain("DTMF 7", h.Switch.Log, StringComparison.Ordinal);
        Assert.Single(Assert.Single(call.Recording!.Results).PauseSpans);
    }

    [Fact]
    public async Task TheProspectsKeyDuringTheNoticeDestroysTheRecordingAndOnlyTheRefusalIsStored()
    {
        string data = Directory.CreateTempSubdirectory("cs-data-").FullName;
        try
        {
            RecordingRule rule = Rule(RecordingMode.Always) with { ProspectOppositionKey = '9' };
            await using var h = CallHarness.Start(recording: rule, dataPath: data, noticeLength: TimeSpan.FromSeconds(2.5));
            int filesDuringNotice = -1;
            Task script = Task.CompletedTask;

            var (agent, trunk) = await h.RunAsync("trunk-answer", "agent-bye", "trunk-wait-bye", talkMs: 7000, onAnswered: call => script = ScriptAsync(call));

            async Task ScriptAsync(B2buaCall call)
            {
                // The notice is being recorded (the rule records it): there is audio to destroy.
                await StateAsync(h, call, RecordingState.Recording);
                Assert.True(call.Media!.IsPlayingAnnouncement, "the notice ended before the prospect could press\n" + h.Switch.Log);
                await Task.Delay(500);
                filesDuringNotice = Directory.GetFiles(h.SpoolPath!, "*", SearchOption.AllDirectories).Length;
                Press(h.TrunkMedia, "9");
                await StateAsync(h, call, RecordingState.Refused);
            }

            B2buaCall call = await EndedAsync(h, agent, trunk, script);
            Assert.Equal(1, filesDuringNotice);
            await AssertRefusedAsync(h, call, OppositionSource.Prospect);

            // The call went on: the notice was played in full, then the agent heard the prospect.
            Assert.True(call.AnnouncementPlayedInFull);
            Assert.True(h.AgentMedia.Received.Count(p => p.Payload.AsSpan().SequenceEqual(CallHarness.ProspectVoice)) >= 25, h.Switch.Log);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task KeysSentAsSipInfoPauseThenRefuseTheRecording()
    {
        string data = Directory.CreateTempSubdirectory("cs-data-").FullName;
        try
        {
            await using var h = CallHarness.Start(recording: Rule(RecordingMode.Always), dataPath: data);
            var states = new ConcurrentQueue<RecordingState>();
            Task script = Task.CompletedTask;

            var (agent, trunk) = await h.RunAsync("trunk-answer", "agent-info-keys", "trunk-wait-bye", talkMs: 2000, onAnswered: call => script = ScriptAsync(call));

            async Task ScriptAsync(B2buaCall call)
            {
                // Every state the recording goes through after the connection, as SIPp's INFOs arrive.
                await WhenConnectedAsync(call);
                RecordingState last = h.RecordingStateOf(call);
                for (int i = 0; i < 1000 && last != RecordingState.Refused; i++)
                {
                    await Task.Delay(10);
                    if (h.RecordingStateOf(call) != last)
                    {
                        states.Enqueue(last = h.RecordingStateOf(call));
                    }
                }
            }

            B2buaCall call = await EndedAsync(h, agent, trunk, script);

            // Paused, then refused, never recording again in between: the switch's log is the order
            // (the 10 ms polling above can miss a short pause on a loaded machine).
            Assert.Equal(RecordingState.Refused, states.LastOrDefault());
            Assert.DoesNotContain(RecordingState.Recording, states);
            await AssertRefusedAsync(h, call, OppositionSource.Agent);
            string log = h.Switch.Log;
            int paused = log.IndexOf("paused by the agent's keys", StringComparison.Ordinal);
            int refused = log.IndexOf("refused by the agent (the agent's keys)", StringComparison.Ordinal);
            Assert.True(paused >= 0 && refused > paused, "paused, then refused:\n" + log);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task TheAgentsOppositionMidCallDestroysTheRecordingAndTheCallGoesOn()
    {
        string data = Directory.CreateTempSubdirectory("cs-data-").FullName;
        try
        {
            await using var h = CallHarness.Start(recording: Rule(RecordingMode.Always), dataPath: data);
            DateTimeOffset refusedAt = default;
            Task script = Task.CompletedTask;

            var (agent, trunk) = await h.RunAsync("trunk-answer", "agent-bye", "trunk-wait-bye", talkMs: 5000, onAnswered: call => script = ScriptAsync(call));

            async Task ScriptAsync(B2buaCall call)
            {
                await WhenConnectedAsync(call);
                await Task.Delay(1000);
                Press(h.AgentMedia, "*9");
                await StateAsync(h, call, RecordingState.Refused);
                refusedAt = DateTimeOffset.UtcNow;

                // Nothing starts again.
                ICallControl control = h.Switch.Host.Control;
                Assert.Equal(RecordingActionOutcome.NotApplicable, control.StartRecording(call.Id).Outcome);
                Assert.Equal(RecordingActionOutcome.NotApplicable, control.PauseRecording(call.Id).Outcome);
                Assert.Equal(RecordingActionOutcome.AlreadySo, control.OpposeRecording(call.Id, OppositionSource.Prospect).Outcome);
            }

            B2buaCall call = await EndedAsync(h, agent, trunk, script);
            await AssertRefusedAsync(h, call, OppositionSource.Agent);
            Assert.DoesNotContain(h.TrunkMedia.Received, p => p.PayloadType == TelephoneEvent);
            Assert.True(h.AgentMedia.Received.Count(p => p.ReceivedAt > refusedAt && p.Payload.AsSpan().SequenceEqual(CallHarness.ProspectVoice)) >= 25, h.Switch.Log);
            Assert.True(h.TrunkMedia.Received.Count(p => p.ReceivedAt > refusedAt && p.Payload.AsSpan().SequenceEqual(CallHarness.AgentVoice)) >= 25, h.Switch.Log);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task OnDemandNothingIsRecordedUntilTheAgentsStartSequence()
    {
        await using var h = CallHarness.Start(recording: Rule(RecordingMode.OnDemand));
        Talk(h);
        RecordingState before = RecordingState.None;
        int filesBefore = -1;
        DateTimeOffset asked = default;
        DateTimeOffset seenRecording = default;
        Task script = Task.CompletedTask;

        var (agent, trunk) = await h.RunAsync("trunk-answer", "agent-bye", "trunk-wait-bye", talkMs: 5000, onAnswered: call => script = ScriptAsync(call));

        async Task ScriptAsync(B2buaCall call)
        {
            await WhenConnectedAsync(call);
            await Task.Delay(1000);
            before = h.RecordingStateOf(call);
            filesBefore = Directory.GetFiles(h.SpoolPath!, "*", SearchOption.AllDirectories).Length;
            asked = DateTimeOffset.UtcNow;
            Press(h.AgentMedia, "*3");
            await StateAsync(h, call, RecordingState.Recording);
            seenRecording = DateTimeOffset.UtcNow;
        }

        B2buaCall call = await EndedAsync(h, agent, trunk, script);
        Assert.Equal(RecordingState.Off, before);
        Assert.Equal(0, filesBefore);
        RecordingResult result = Assert.Single(call.Recording!.Results);
        Assert.Equal("spring:on-demand", result.RuleId);
        Assert.Null(result.Opposition);
        Assert.False(result.AnnouncementRecorded);
        // Started by the keys: after they were pressed, and by the time the test saw it recording
        // (no wall-clock bound: a loaded CI machine took 1.006 s between the two).
        Assert.InRange(result.StartedAt, asked, seenRecording);
        Assert.True((result.StartedAt - call.AnsweredAt!.Value).TotalSeconds >= 1.5, $"started {result.StartedAt:O}, answered {call.AnsweredAt:O}");

        RecordedAudio audio = RecordedAudio.Open(result.FilePath!, h.RecordingKeys!);
        string context = $"recorded {result.Duration.TotalSeconds:F3} s, decoded {audio.Seconds:F3} s{audio.Profile()}";
        Assert.True(Math.Abs((result.EndedAt - result.StartedAt - result.Duration).TotalSeconds) <= 0.3, context);
        Assert.True(audio.Seconds >= 1.5, context);
        AtLeast20Db(audio.TonePower(0, AgentHz, 0.3, audio.Seconds - 0.3), audio.TonePower(0, ProspectHz, 0.3, audio.Seconds - 0.3), "left: agent", context);
        AtLeast20Db(audio.TonePower(1, ProspectHz, 0.3, audio.Seconds - 0.3), audio.TonePower(1, AgentHz, 0.3, audio.Seconds - 0.3), "right: prospect", context);
        Assert.Contains("started (asked by the agent's keys", h.Switch.Log, StringComparison.Ordinal);
    }

    private static RecordingRule Rule(RecordingMode mode) => new()
    {
        CampaignId = "spring",
        Mode = mode,
        RecordAnnouncement = true,
        Purposes = ["training"],
        LegalBasis = LegalBasis.LegitimateInterest,
        RetentionDays = 30,
    };

    /// <summary>Both parties talk all along: the agent 440 Hz, the prospect 1 kHz.</summary>
    private static void Talk(CallHarness h)
    {
        byte[][] agentTone = CallHarness.PcmuTone(AgentHz, 400);
        byte[][] prospectTone = CallHarness.PcmuTone(ProspectHz, 400);
        h.AgentPayload = i => agentTone[i % agentTone.Length];
        h.ProspectPayload = i => prospectTone[i % prospectTone.Length];
    }

    /// <summary>Queues the keys as RFC 4733 events in the peer's stream, one after the other (120 ms each).</summary>
    private static void Press(RtpPeer peer, string keys)
    {
        foreach (char key in keys)
        {
            Assert.True(DtmfDigits.TryGetEventCode(key, out byte code));
            peer.QueueTelephoneEvent(TelephoneEvent, code);
        }
    }

    private static async Task WhenConnectedAsync(B2buaCall call)
    {
        for (int i = 0; i < 1000 && call.AnnouncementPlayedInFull is null; i++)
        {
            await Task.Delay(10);
        }

        Assert.True(call.AnnouncementPlayedInFull, "the parties were never connected");
    }

    private static Task<RecordingState> StateAsync(CallHarness h, B2buaCall call, RecordingState expected) =>
        h.RecordingStateAsync(call, expected, TimeSpan.FromSeconds(3));

    private static Task<B2buaCall> EndedAsync(CallHarness h, SippResult agent, SippResult trunk, Task script) =>
        h.EndedAsync(agent, trunk, script, CallEnd.AgentHungUp);

    /// <summary>No audio left anywhere, the key shredded, one refusal by <paramref name="by"/> in the results and the store, the call not marked recorded.</summary>
    private static async Task AssertRefusedAsync(CallHarness h, B2buaCall call, OppositionSource by)
    {
        Assert.Equal(RecordingState.Refused, call.Recording!.State);
        Assert.Empty(Directory.GetFiles(h.SpoolPath!, "*", SearchOption.AllDirectories));
        Assert.Empty(h.KeyStore!.KeyIds());
        RecordingResult result = Assert.Single(call.Recording.Results);
        Assert.Equal(by, result.Opposition?.By);
        Assert.Equal(RecordingStopReason.Opposed, result.StopReason);
        Assert.Null(result.FilePath);
        Assert.Null(result.KeyId);

        CallArchive archive = h.Switch.Host.Archive!;
        await archive.FlushAsync().WaitAsync(TimeSpan.FromSeconds(10));
        RecordingMetadata stored = await archive.Store.GetRecordingAsync(Guid.Parse(result.RecordingId)) ?? throw new InvalidOperationException("no refusal row\n" + h.Switch.Log);
        Assert.Equal(by, stored.Opposition?.By);
        Assert.Equal(result.Opposition!.At, stored.Opposition!.At, TimeSpan.FromMilliseconds(1));
        Assert.Null(stored.FilePath);
        Assert.Null(stored.KeyId);
        Assert.Null(stored.FileSize);
        Assert.Null(stored.CiphertextSha256);
        Assert.Empty(stored.Pauses);
        Assert.Equal(call.Id, stored.CallId);
        CallRecord row = await archive.Store.GetCallAsync(call.Id) ?? throw new InvalidOperationException("no call row\n" + h.Switch.Log);
        Assert.False(row.Recorded);
        Assert.Equal(0, archive.Store.BackgroundWriteFailures);
        Assert.DoesNotContain("not stored", h.Switch.Log, StringComparison.Ordinal);
        Assert.Contains($"refused by the {by.ToString().ToLowerInvariant()}", h.Switch.Log, StringComparison.Ordinal);
    }
}
