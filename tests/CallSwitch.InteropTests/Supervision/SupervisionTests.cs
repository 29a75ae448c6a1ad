using System.Globalization;
using CallSwitch.Calls.Recording;
using CallSwitch.Calls.Sessions;
using CallSwitch.Calls.Supervision;
using CallSwitch.Compliance.Rules;
using CallSwitch.Compliance.Storage;
using CallSwitch.Configuration;
using CallSwitch.InteropTests.Calls;
using CallSwitch.Media.Mixing;
using CallSwitch.Server.Hosting;
using CallSwitch.TestSupport.Media;
using CallSwitch.TestSupport.Peers;
using Xunit.Abstractions;

namespace CallSwitch.InteropTests.Supervision;

/// <summary>
/// Supervisors on real calls, end to end: SIPp as the agent, the carrier and each supervisor
/// (signalling), the tests' own RTP sockets as their phones, each talking its own tone (agent
/// 400 Hz, prospect 1 kHz, supervisors 2.5 kHz and 1.33 kHz). What every recipient's socket
/// received is decoded and measured per tone (Goertzel): who hears whom, and who does not by at
/// least 40 dB, in each mode; keys switch modes; the recording is decrypted and decoded per
/// channel; the audit log is read back from the store.
/// </summary>
public class SupervisionTests(ITestOutputHelper output)
{
    private const double AgentHz = 400;
    private const double ProspectHz = 1000;
    private const double SupervisorHz = 2500;
    private const double SecondSupervisorHz = 1330;
    private const double AgentToneHz = 440;

    [Fact]
    public async Task KeysSwitchListenWhisperAndBargeAndEachPartyHearsExactlyWhomTheModeSays()
    {
        await using var h = Start(recording: true);
        await using var supervisor = new SupervisorPhone("1003", SupervisorHz);
        var presses = new List<(SupervisionMode Mode, DateTimeOffset Pressed, DateTimeOffset Applied)>();
        IReadOnlyList<(DateTimeOffset At, SupervisionMode Mode)> modes = [];
        DateTimeOffset left = default;
        SippResult? supervisorSipp = null;
        Task script = Task.CompletedTask;

        var (agent, trunk) = await h.RunAsync("trunk-answer", "agent-bye", "trunk-wait-bye", talkMs: 14000, onAnswered: call => script = ScriptAsync(call));

        async Task ScriptAsync(B2buaCall call)
        {
            await WhenConnectedAsync(call);
            Task<SippResult> sipp = supervisor.DialAsync(h, "*711001", "agent-bye", talkMs: 8000);
            SupervisionSession session = await SessionAsync(h, call, "1003", sipp);
            await Task.Delay(2000);
            foreach ((char key, SupervisionMode mode) in new[] { ('2', SupervisionMode.Whisper), ('3', SupervisionMode.Barge), ('1', SupervisionMode.Listen) })
            {
                DateTimeOffset pressed = DateTimeOffset.UtcNow;
                supervisor.Press(key);
                await WaitAsync(() => session.Mode == mode, TimeSpan.FromSeconds(3), $"key {key} never switched to {mode}\n{h.Switch.Log}");
                presses.Add((mode, pressed, session.Modes[^1].At));
                await Task.Delay(1900);
            }

            supervisorSipp = await sipp;
            await WaitAsync(() => session.HasEnded, TimeSpan.FromSeconds(5), "the supervisor's BYE did not end the session");
            left = DateTimeOffset.UtcNow;
            modes = session.Modes;
        }

        B2buaCall call = await EndedAsync(h, agent, trunk, script);
        Assert.True(supervisorSipp!.ExitCode == 0, "supervisor: " + supervisorSipp + "\n--- switch log ---\n" + h.Switch.Log);
        Assert.Equal([SupervisionMode.Listen, SupervisionMode.Whisper, SupervisionMode.Barge, SupervisionMode.Listen], modes.Select(m => m.Mode));

        // Keys act within a second: the mode, and the agent hearing the supervisor.
        foreach (var (mode, pressed, applied) in presses)
        {
            output.WriteLine($"key for {mode}: applied after {(applied - pressed).TotalMilliseconds:F0} ms");
            Assert.InRange((applied - pressed).TotalSeconds, 0, 1);
        }

        DateTimeOffset whisperKey = presses[0].Pressed;
        ReceivedRtp firstHeard = h.AgentMedia.Received.First(p => p.ReceivedAt > whisperKey && p.PayloadType == 0 && Amplitude(p, SupervisorHz) > 2000);
        output.WriteLine($"the agent heard the whisper {(firstHeard.ReceivedAt - whisperKey).TotalMilliseconds:F0} ms after the key");
        Assert.InRange((firstHeard.ReceivedAt - whisperKey).TotalSeconds, 0, 1);

        // In each mode, on the wire: the agent, the prospect and the supervisor.
        for (int i = 0; i < modes.Count; i++)
        {
            DateTimeOffset from = modes[i].At.AddSeconds(0.3);
            DateTimeOffset to = (i + 1 < modes.Count ? modes[i + 1].At : left).AddSeconds(-0.1);
            string context = $"{modes[i].Mode}, span {i}";
            (double[] agentHears, double[] prospectHears) = modes[i].Mode switch
            {
                SupervisionMode.Listen => ([ProspectHz], [AgentHz]),
                SupervisionMode.Whisper => ([ProspectHz, SupervisorHz], [AgentHz]),
                _ => (new[] { ProspectHz, SupervisorHz }, new[] { AgentHz, SupervisorHz }),
            };
            Heard(h.AgentMedia, "agent", from, to).AssertHears(agentHears, Others(agentHears), context);
            Heard(h.TrunkMedia, "prospect", from, to).AssertHears(prospectHears, Others(prospectHears), context);
            HeardAudio atSupervisor = supervisor.Heard(from, to);
            atSupervisor.AssertHears([AgentHz, ProspectHz], [SupervisorHz], context);
            output.WriteLine(atSupervisor.Levels([AgentHz, ProspectHz, SupervisorHz]));
        }

        // The supervisor hung up: the call went on, as it was.
        DateTimeOffset callEnd = h.AgentMedia.Received[^1].ReceivedAt;
        Assert.True((callEnd - left).TotalSeconds >= 2, $"the call ended {(callEnd - left).TotalSeconds:F1} s after the supervisor left");
        Heard(h.AgentMedia, "agent", left.AddSeconds(0.3), callEnd.AddSeconds(-0.3)).AssertHears([ProspectHz], [AgentHz, SupervisorHz], "after the supervisor left");
        Heard(h.TrunkMedia, "prospect", left.AddSeconds(0.3), callEnd.AddSeconds(-0.3)).AssertHears([AgentHz], [ProspectHz, SupervisorHz], "after the supervisor left");

        // One stream per recipient, continuous through forwarded → mixed → forwarded.
        AssertContinuous("agent", h.AgentMedia.Received, whisperKey, left);
        AssertContinuous("prospect", h.TrunkMedia.Received, presses[1].Pressed, left);

        await AssertRecordingAsync(h, call, modes, left);
        await AssertAuditedAsync(h, call, "1003", ["mode=listen", "from=listen to=whisper", "from=whisper to=barge", "from=barge to=listen", "end=supervisor left"]);
    }

    [Fact]
    public async Task TwoSupervisorsOneOnG722HearAndAreHeardAsTheirModesSayAndBothGetAByeWhenTheCallEnds()
    {
        await using var h = Start(recording: false);
        await using var barger = new SupervisorPhone("1003", SupervisorHz);
        await using var whisperer = new SupervisorPhone("1005", SecondSupervisorHz, g722: true);
        DateTimeOffset joined = default;
        (SippResult Barger, SippResult Whisperer) supervisors = default;
        Task script = Task.CompletedTask;

        var (agent, trunk) = await h.RunAsync("trunk-answer", "agent-wait-bye", "trunk-bye", talkMs: 7000, onAnswered: call => script = ScriptAsync(call));

        async Task ScriptAsync(B2buaCall call)
        {
            await WhenConnectedAsync(call);
            Task<SippResult> first = barger.DialAsync(h, "*731001", "agent-wait-bye");
            Task<SippResult> second = whisperer.DialAsync(h, "*721001", "agent-wait-bye");
            SupervisionSession a = await SessionAsync(h, call, "1003", first);
            SupervisionSession b = await SessionAsync(h, call, "1005", second);
            Assert.Equal((SupervisionMode.Barge, SupervisionMode.Whisper), (a.Mode, b.Mode));
            joined = DateTimeOffset.UtcNow;
            supervisors = (await first, await second);
        }

        B2buaCall call = await h.EndedAsync(agent, trunk, script, CallEnd.ProspectHungUp);

        // Both supervisors' SIPp waited for the switch's BYE and answered it.
        Assert.True(supervisors.Barger!.ExitCode == 0, "barging supervisor: " + supervisors.Barger + "\n--- switch log ---\n" + h.Switch.Log);
        Assert.True(supervisors.Whisperer!.ExitCode == 0, "whispering supervisor: " + supervisors.Whisperer + "\n--- switch log ---\n" + h.Switch.Log);

        // From when both talk (a busy test process may start a phone's sender late).
        Assert.True(barger.TalkingSince is not null && whisperer.TalkingSince is not null, "a supervisor's phone never heard the switch");
        DateTimeOffset from = new[] { joined, barger.TalkingSince!.Value, whisperer.TalkingSince!.Value }.Max().AddSeconds(0.4);
        output.WriteLine($"phones talking {(barger.TalkingSince.Value - joined).TotalMilliseconds:F0} ms (barger) and {(whisperer.TalkingSince.Value - joined).TotalMilliseconds:F0} ms (whisperer) after both joined");
        DateTimeOffset to = h.TrunkMedia.Received[^1].ReceivedAt.AddSeconds(-0.3);
        Assert.True((to - from).TotalSeconds >= 1.5, $"only {(to - from).TotalSeconds:F2} s with both supervisors on the call");
        Heard(h.AgentMedia, "agent", from, to).AssertHears([ProspectHz, SupervisorHz, SecondSupervisorHz], [AgentHz], "barge + whisper");
        Heard(h.TrunkMedia, "prospect", from, to).AssertHears([AgentHz, SupervisorHz], [ProspectHz, SecondSupervisorHz], "barge + whisper");
        barger.Heard(from, to).AssertHears([AgentHz, ProspectHz], [SupervisorHz, SecondSupervisorHz], "barge + whisper");
        HeardAudio wide = whisperer.Heard(from, to);
        wide.AssertHears([AgentHz, ProspectHz, SupervisorHz], [SecondSupervisorHz], "barge + whisper (G.722, decoded by ffmpeg)");
        output.WriteLine(wide.Levels([AgentHz, ProspectHz, SupervisorHz, SecondSupervisorHz]));
        Assert.All(whisperer.Media.Received.Where(p => p.PayloadType != SupervisorPhone.TelephoneEvent), p => Assert.Equal((9, 160), (p.PayloadType, p.Payload.Length)));

        await AssertAuditedAsync(h, call, "1003", ["mode=barge", "end=call ended"]);
        await AssertAuditedAsync(h, call, "1005", ["mode=whisper", "end=call ended"]);
    }

    [Fact]
    public async Task WhileTheAgentHoldsTheProspectABargingSupervisorIsOffThePropectsStreamAndTheRecordingAndBackAfter()
    {
        await using var h = Start(recording: true);
        await using var supervisor = new SupervisorPhone("1003", SupervisorHz);
        // Each phase change is bracketed by the test's polls: the last poll before it and the first
        // after it (on a loaded machine a poll can come half a second late).
        DateTimeOffset joined = default, notYetHeld = default, held = default, notYetResumed = default, resumed = default;
        SippResult? supervisorSipp = null;
        Task script = Task.CompletedTask;

        var (agent, trunk) = await h.RunAsync(
            "trunk-answer",
            "agent-hold",
            "trunk-hold",
            talkMs: 4500,
            onAnswered: call => script = ScriptAsync(call),
            extraAgentValues: new Dictionary<string, string> { ["HOLD_MS"] = "2500", ["AFTER_MS"] = "2500" });

        async Task ScriptAsync(B2buaCall call)
        {
            await WhenConnectedAsync(call);
            Task<SippResult> sipp = supervisor.DialAsync(h, "*731001", "agent-wait-bye");
            joined = (await SessionAsync(h, call, "1003", sipp)).StartedAt;
            (notYetHeld, held) = await ChangedAsync(() => h.Switch.Host.Control.Find(call.Id)?.Phase == CallPhase.OnHold, TimeSpan.FromSeconds(10), "the agent never held the call");
            (notYetResumed, resumed) = await ChangedAsync(() => h.Switch.Host.Control.Find(call.Id)?.Phase == CallPhase.Connected, TimeSpan.FromSeconds(10), "the agent never resumed the call");
            supervisorSipp = await sipp;
        }

        B2buaCall call = await EndedAsync(h, agent, trunk, script);
        Assert.True(supervisorSipp!.ExitCode == 0, "supervisor (waits for the switch's BYE at the end of the call): " + supervisorSipp + "\n--- switch log ---\n" + h.Switch.Log);
        DateTimeOffset end = h.TrunkMedia.Received[^1].ReceivedAt;
        Assert.True((held - joined).TotalSeconds >= 1 && (end - resumed).TotalSeconds >= 1.5, $"joined {joined:HH:mm:ss.fff}, held {held:HH:mm:ss.fff}, resumed {resumed:HH:mm:ss.fff}, ended {end:HH:mm:ss.fff}");

        // The prospect hears the barging supervisor before and after the hold. While held, the
        // switch forwards what the holding agent's phone sends (here nothing: a sendonly leg's
        // packets are not relayed): not one packet of the prospect's carries the supervisor.
        Assert.True(supervisor.TalkingSince is not null, "the supervisor's phone never heard the switch");
        DateTimeOffset talking = new[] { joined, supervisor.TalkingSince!.Value }.Max();
        Heard(h.TrunkMedia, "prospect", talking.AddSeconds(0.3), notYetHeld.AddSeconds(-0.1)).AssertHears([AgentHz, SupervisorHz], [ProspectHz], "barge before the hold");
        Heard(h.TrunkMedia, "prospect", resumed.AddSeconds(0.3), end.AddSeconds(-0.3)).AssertHears([AgentHz, SupervisorHz], [ProspectHz], "barge after the hold");
        // Both ends of the window keep a margin: `held` and `notYetResumed` are the test's polls
        // around the phase changes, so the first mixed packet after the resume (marker bit set) can
        // arrive just before the poll that last saw the hold returns.
        ReceivedRtp[] duringHold = [.. h.TrunkMedia.Received.Where(p => p.PayloadType == 0 && p.ReceivedAt > held.AddSeconds(0.1) && p.ReceivedAt < notYetResumed.AddSeconds(-0.2))];
        output.WriteLine($"the prospect received {duringHold.Length} packets on hold");
        Assert.All(duringHold, p => Assert.True(Amplitude(p, SupervisorHz) < 80, $"a packet at {p.ReceivedAt:HH:mm:ss.fff}, on hold, carries the supervisor: amplitude {Amplitude(p, SupervisorHz):F0}"));

        // The supervisor stays on and hears the prospect (the held agent's phone sends nothing the switch relays).
        supervisor.Heard(held.AddSeconds(0.3), notYetResumed.AddSeconds(-0.1)).AssertHears([ProspectHz], [SupervisorHz], "on hold");

        // The recording: two barge spans, cut by the hold; the left channel without the supervisor in between.
        RecordingResult result = Assert.Single(call.Recording!.Results);
        Assert.Equal(2, result.BargeSpans.Count);
        Assert.InRange(result.BargeSpans[0].End!.Value, notYetHeld - result.StartedAt - TimeSpan.FromSeconds(0.5), held - result.StartedAt + TimeSpan.FromSeconds(0.1));
        Assert.InRange(result.BargeSpans[1].Start, notYetResumed - result.StartedAt - TimeSpan.FromSeconds(0.5), resumed - result.StartedAt + TimeSpan.FromSeconds(0.1));
        RecordedAudio audio = RecordedAudio.Open(result.FilePath!, h.RecordingKeys!);
        double before = SupervisorOnTheLeft(talking.AddSeconds(0.4), notYetHeld.AddSeconds(-0.2));
        double onHold = SupervisorOnTheLeft(held.AddSeconds(0.4), notYetResumed.AddSeconds(-0.2));
        output.WriteLine($"recording, supervisor on the left: barging {10 * Math.Log10(before):F1} dB, on hold {10 * Math.Log10(Math.Max(onHold, 1e-9)):F1} dB");
        Assert.True(RecordedAudio.Decibels(before, onHold) >= 40, $"the recording's left channel carries the supervisor during the hold{audio.Profile()}");

        double SupervisorOnTheLeft(DateTimeOffset from, DateTimeOffset to)
        {
            double start = (from - result.StartedAt).TotalSeconds;
            return audio.TonePower(0, SupervisorHz, start, start + (Math.Floor((to - from).TotalSeconds * 10) / 10));
        }
    }

    [Fact]
    public async Task ASupervisorOfAnotherTeamGets403AndIsAuditedAndAnAgentNotInACallGives404()
    {
        await using var h = Start(recording: false);
        await using var lyon = new SupervisorPhone("1004", SupervisorHz);
        await using var paris = new SupervisorPhone("1003", SupervisorHz);
        var answers = new List<(string What, SippResult Result)>();
        Task script = Task.CompletedTask;

        var (agent, trunk) = await h.RunAsync("trunk-answer", "agent-bye", "trunk-wait-bye", talkMs: 5000, onAnswered: call => script = ScriptAsync(call));

        async Task ScriptAsync(B2buaCall call)
        {
            await WhenConnectedAsync(call);
            answers.Add(("lyon on 1001 (in a call)", await lyon.DialRefusedAsync(h, "*711001", 403)));
            answers.Add(("lyon on 1002 (not in a call)", await lyon.DialRefusedAsync(h, "*711002", 403)));
            answers.Add(("paris on 1002 (not in a call)", await paris.DialRefusedAsync(h, "*731002", 404)));
            Assert.Empty(h.Switch.Host.Control.SupervisionsOf(call.Id));
        }

        B2buaCall call = await EndedAsync(h, agent, trunk, script);
        foreach (var (what, result) in answers)
        {
            Assert.True(result.ExitCode == 0, what + ": " + result + "\n--- switch log ---\n" + h.Switch.Log);
        }

        Assert.Contains("404 Agent Not In Call", string.Concat(answers.Select(a => a.Result.Messages)), StringComparison.Ordinal);
        Assert.Empty(lyon.Media.Received);
        AuditEntry[] audit = await AuditAsync(h, all => all.Count(e => e.Event.Action == AuditAction.SupervisionRefused) >= 2);
        AuditEntry[] refused = [.. audit.Where(e => e.Event.Action == AuditAction.SupervisionRefused)];
        Assert.Equal(2, refused.Length);
        Assert.All(refused, e => Assert.Equal("1004", e.Event.Actor));
        Assert.Contains("agent=1001 mode=listen", refused[0].Event.Detail, StringComparison.Ordinal);
        Assert.Contains("team lyon", refused[0].Event.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(call.Id, refused[0].Event.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(audit, e => e.Event.Action == AuditAction.SupervisionStarted);
    }

    [Fact]
    public async Task WithNotifyAgentTheAgentAloneHearsAShortToneWhenASupervisorJoins()
    {
        await using var h = Start(recording: false, notifyAgent: true);
        await using var supervisor = new SupervisorPhone("1003", SupervisorHz);
        DateTimeOffset joined = default;
        SippResult? supervisorSipp = null;
        Task script = Task.CompletedTask;

        var (agent, trunk) = await h.RunAsync("trunk-answer", "agent-bye", "trunk-wait-bye", talkMs: 6000, onAnswered: call => script = ScriptAsync(call));

        async Task ScriptAsync(B2buaCall call)
        {
            await WhenConnectedAsync(call);
            Task<SippResult> sipp = supervisor.DialAsync(h, "*711001", "agent-bye", talkMs: 3000);
            joined = (await SessionAsync(h, call, "1003", sipp)).StartedAt;
            supervisorSipp = await sipp;
        }

        await EndedAsync(h, agent, trunk, script);
        Assert.True(supervisorSipp!.ExitCode == 0, "supervisor: " + supervisorSipp + "\n--- switch log ---\n" + h.Switch.Log);

        // 0.4 s of 440 Hz from the join: the agent hears it over the prospect; nobody else does.
        (DateTimeOffset from, DateTimeOffset to) tone = (joined.AddSeconds(-0.1), joined.AddSeconds(0.5));
        Heard(h.AgentMedia, "agent", tone.from, tone.to).AssertHears([ProspectHz, AgentToneHz], [SupervisorHz], "the tone");
        Heard(h.TrunkMedia, "prospect", tone.from, tone.to).AssertHears([AgentHz], [AgentToneHz, SupervisorHz], "the tone");
        supervisor.Heard(joined.AddSeconds(0.1), tone.to.AddSeconds(0.5)).AssertHears([AgentHz, ProspectHz], [AgentToneHz, SupervisorHz], "the tone");
        Heard(h.AgentMedia, "agent", joined.AddSeconds(0.8), joined.AddSeconds(2.5)).AssertHears([ProspectHz], [AgentToneHz, SupervisorHz], "after the tone");
    }

    /// <summary>
    /// The harness's switch with a data folder of its own (supervision needs its audit log),
    /// deleted with it; agent 1001 talking 400 Hz and the prospect 1 kHz, and two more
    /// supervisors: 1004 of team lyon and 1005 of team paris (1003, the demo supervisor, is of
    /// team paris too).
    /// </summary>
    private static CallHarness Start(bool recording, bool notifyAgent = false)
    {
        RecordingRule? rule = recording
            ? new RecordingRule { CampaignId = "spring", Mode = RecordingMode.Always, Purposes = ["quality"], LegalBasis = LegalBasis.LegitimateInterest, RetentionDays = 30 }
            : null;
        CallHarness h = CallHarness.Start(recording: rule, dataPath: Directory.CreateTempSubdirectory("cs-data-").FullName, ownsDataPath: true, noticeHz: 2000, adjust: config => config with
        {
            Agents = [.. config.Agents, Supervisor("1004", "lyon"), Supervisor("1005", "paris")],
            Supervision = config.Supervision with { NotifyAgent = notifyAgent },
        });
        byte[][] agentTone = CallHarness.PcmuTone(AgentHz, 400);
        byte[][] prospectTone = CallHarness.PcmuTone(ProspectHz, 400);
        h.AgentPayload = i => agentTone[i % agentTone.Length];
        h.ProspectPayload = i => prospectTone[i % prospectTone.Length];
        return h;
    }

    private static AgentConfig Supervisor(string extension, string team) => new()
    {
        Extension = extension,
        Ha1Md5 = Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(System.Text.Encoding.UTF8.GetBytes($"{extension}:callswitch:demo{extension}"))),
        Team = team,
        Role = AgentRole.Supervisor,
    };

    private static double[] Others(double[] heard) => [.. new[] { AgentHz, ProspectHz, SupervisorHz }.Except(heard)];

    private static HeardAudio Heard(RtpPeer peer, string who, DateTimeOffset from, DateTimeOffset to) => HeardAudio.Of(who, peer.Received, 0, from, to);

    private static double Amplitude(ReceivedRtp packet, double hz)
    {
        var pcm = new short[160];
        CallSwitch.Media.Codecs.CodecRegistry.Default.CreateDecoder(CallSwitch.Media.Codecs.AudioCodecInfo.Pcmu).Decode(packet.Payload, pcm);
        return 2 * Math.Sqrt(ToneMeter.TonePower(pcm, 8000, hz));
    }

    /// <summary>
    /// One RTP stream from the first packet to the last: one SSRC, sequence numbers one by one,
    /// timestamps 20 ms apart within a source (or a skipped tick's multiple) and moving on by the time elapsed at each switch of
    /// source (marked), never back, never by more than 100 ms. At least two switches must lie in
    /// [<paramref name="from"/>, <paramref name="to"/>] (into the mix and back).
    /// </summary>
    private static void AssertContinuous(string who, IReadOnlyList<ReceivedRtp> received, DateTimeOffset from, DateTimeOffset to)
    {
        ReceivedRtp[] stream = [.. received.Where(p => p.PayloadType == 0)];
        Assert.Single(stream.Select(p => p.Ssrc).Distinct());
        int switches = 0;
        for (int i = 1; i < stream.Length; i++)
        {
            string where = $"{who}'s packet {i} of {stream.Length} at {stream[i].ReceivedAt:HH:mm:ss.fff}";
            Assert.True((ushort)(stream[i - 1].Sequence + 1) == stream[i].Sequence, $"{where}: sequence {stream[i - 1].Sequence} then {stream[i].Sequence}");
            uint step = stream[i].Timestamp - stream[i - 1].Timestamp;
            if (stream[i].Marker)
            {
                Assert.True(step is > 0 and <= 800, $"{where}: timestamp moved by {step} at a switch");
                switches += stream[i].ReceivedAt > from && stream[i].ReceivedAt < to ? 1 : 0;
            }
            else
            {
                // A tick the media clock skipped leaves its 20 ms in the timestamps (RFC 3550 §5.1), never
                // less and never backwards. How many ticks a busy test host skips is its own timing (CI saw
                // the in-process switch's clock stall 0.8–1 s, sequence unbroken): bounded at 2 s here.
                Assert.True(step % 160 == 0 && step is > 0 and <= 16_000, $"{where}: timestamp moved by {step} within a source");
            }
        }

        Assert.True(switches >= 2, $"{who}: {switches} marked switches between {from:HH:mm:ss.fff} and {to:HH:mm:ss.fff}");
    }

    /// <summary>The recording: the left channel is the agent alone in listen and whisper, the agent and the supervisor in barge; the right the prospect alone.</summary>
    private async Task AssertRecordingAsync(CallHarness h, B2buaCall call, IReadOnlyList<(DateTimeOffset At, SupervisionMode Mode)> modes, DateTimeOffset left)
    {
        RecordingResult result = Assert.Single(call.Recording!.Results);
        Assert.Equal(Compliance.Storage.RecordingStatus.Complete, result.Status);
        var span = Assert.Single(result.BargeSpans);
        DateTimeOffset bargeAt = modes.Single(m => m.Mode == SupervisionMode.Barge).At;
        Assert.InRange((span.Start - (bargeAt - result.StartedAt)).TotalSeconds, -0.1, 0.1);
        RecordedAudio audio = RecordedAudio.Open(result.FilePath!, h.RecordingKeys!);
        for (int i = 0; i < modes.Count; i++)
        {
            double from = (modes[i].At - result.StartedAt).TotalSeconds + 0.4;
            double to = ((i + 1 < modes.Count ? modes[i + 1].At : left) - result.StartedAt).TotalSeconds - 0.2;
            to = from + (Math.Floor((to - from) * 10) / 10);
            string context = string.Create(CultureInfo.InvariantCulture, $"{modes[i].Mode} [{from:F2}, {to:F2}) s of {audio.Seconds:F2} s");
            double agent = audio.TonePower(0, AgentHz, from, to);
            double supervisorLeft = audio.TonePower(0, SupervisorHz, from, to);
            double prospect = audio.TonePower(1, ProspectHz, from, to);
            double supervisorRight = audio.TonePower(1, SupervisorHz, from, to);
            output.WriteLine($"recording, {context}: left agent {Db(agent)}, supervisor {Db(supervisorLeft)}; right prospect {Db(prospect)}, supervisor {Db(supervisorRight)} dB");
            Assert.True(RecordedAudio.Decibels(prospect, supervisorRight) >= 40, $"right channel carries the supervisor ({context})");
            if (modes[i].Mode == SupervisionMode.Barge)
            {
                // The mix puts them level. In 2 of about 10 loaded runs of session 5 the supervisor was
                // 8–9 dB under with the agent's 400 Hz intact: most likely the recorder's timeline
                // following the jitter of drain times (each move a phase jump, far larger at 2.5 kHz);
                // the recorder now places packets by arrival and moves only for a frame or more.
                string profile = BargeProfile(h, audio, result.StartedAt, modes[i].At, i + 1 < modes.Count ? modes[i + 1].At : left);
                output.WriteLine(profile);
                Assert.True(RecordedAudio.Decibels(supervisorLeft, agent) > -6, $"left channel lacks the barging supervisor ({context}){profile}");
            }
            else
            {
                Assert.True(RecordedAudio.Decibels(agent, supervisorLeft) >= 40, $"left channel carries the supervisor ({context})");
            }
        }

        CallArchive archive = h.Switch.Host.Archive!;
        await archive.FlushAsync().WaitAsync(TimeSpan.FromSeconds(10));
        RecordingMetadata stored = await archive.Store.GetRecordingAsync(Guid.Parse(result.RecordingId)) ?? throw new InvalidOperationException("no recording row\n" + h.Switch.Log);
        RecordingBarge barge = Assert.Single(stored.Barges);
        Assert.True((barge.Start - span.Start).Duration() < TimeSpan.FromMilliseconds(1) && (barge.End!.Value - span.End!.Value).Duration() < TimeSpan.FromMilliseconds(1), $"{span} stored as {barge}");

        static string Db(double power) => (10 * Math.Log10(Math.Max(power, 1e-9))).ToString("F1", CultureInfo.InvariantCulture);
    }

    // Per 100 ms around a barge span: on the recording's left channel the agent's and the
    // supervisor's tone levels, and the supervisor's amplitude in what the prospect received then.
    private static string BargeProfile(CallHarness h, RecordedAudio audio, DateTimeOffset recordingStart, DateTimeOffset from, DateTimeOffset to)
    {
        var text = new System.Text.StringBuilder("\nbarge profile (s from recording start: left agent / supervisor dB; prospect heard supervisor amplitude):");
        for (DateTimeOffset t = from.AddSeconds(-0.6); t < to.AddSeconds(0.6); t = t.AddSeconds(0.1))
        {
            double at = (t - recordingStart).TotalSeconds;
            if (at < 0 || at + 0.1 > audio.Seconds)
            {
                continue;
            }

            double agent = 10 * Math.Log10(Math.Max(audio.TonePower(0, AgentHz, at, at + 0.1), 1e-9));
            double supervisor = 10 * Math.Log10(Math.Max(audio.TonePower(0, SupervisorHz, at, at + 0.1), 1e-9));
            ReceivedRtp[] heard = [.. h.TrunkMedia.Received.Where(p => p.ReceivedAt >= t && p.ReceivedAt < t.AddSeconds(0.1) && p.PayloadType == 0)];
            double wire = heard.Length == 0 ? 0 : heard.Average(p => Amplitude(p, SupervisorHz));
            text.Append(CultureInfo.InvariantCulture, $"\n{at,6:F2} {(t >= from && t < to ? '*' : ' ')} {agent,6:F1} / {supervisor,6:F1}   wire {wire,6:F0} ({heard.Length} packets)");
        }

        return text.ToString();
    }

    private static async Task AssertAuditedAsync(CallHarness h, B2buaCall call, string supervisor, string[] details)
    {
        AuditEntry[] entries = [.. (await AuditAsync(h, all => all.Count(e => e.Event.Actor == supervisor) >= details.Length)).Where(e => e.Event.Actor == supervisor)];
        Assert.Equal(details.Length, entries.Length);
        for (int i = 0; i < details.Length; i++)
        {
            Assert.Contains($"call={call.Id} agent=1001", entries[i].Event.Detail, StringComparison.Ordinal);
            Assert.Contains(details[i], entries[i].Event.Detail, StringComparison.Ordinal);
        }

        Assert.Equal(AuditAction.SupervisionStarted, entries[0].Event.Action);
        Assert.Equal(AuditAction.SupervisionEnded, entries[^1].Event.Action);
        Assert.All(entries[1..^1], e => Assert.Equal(AuditAction.SupervisionModeChanged, e.Event.Action));
    }

    /// <summary>The audit log, once <paramref name="ready"/> holds (supervision appends without waiting), or after 5 s.</summary>
    private static async Task<AuditEntry[]> AuditAsync(CallHarness h, Func<AuditEntry[], bool> ready)
    {
        CallArchive archive = h.Switch.Host.Archive!;
        await archive.FlushAsync().WaitAsync(TimeSpan.FromSeconds(10));
        AuditEntry[] entries = [];
        for (int i = 0; i < 100 && !ready(entries = [.. await archive.Store.ReadAuditAsync(0, 1000)]); i++)
        {
            await Task.Delay(50);
        }

        return entries;
    }

    private static async Task<SupervisionSession> SessionAsync(CallHarness h, B2buaCall call, string supervisor, Task<SippResult> sipp)
    {
        for (int i = 0; i < 1000; i++)
        {
            if (h.Switch.Host.Control.SupervisionsOf(call.Id).FirstOrDefault(s => s.Supervisor == supervisor) is { } session)
            {
                return session;
            }

            if (sipp.IsCompleted)
            {
                Assert.Fail($"supervisor {supervisor} never joined: {await sipp}\n--- switch log ---\n{h.Switch.Log}");
            }

            await Task.Delay(10);
        }

        throw new InvalidOperationException($"supervisor {supervisor} never joined\n{h.Switch.Log}");
    }

    private static async Task WaitAsync(Func<bool> condition, TimeSpan limit, string failure)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < limit, failure);
            await Task.Delay(5);
        }
    }

    /// <summary>Polls until <paramref name="condition"/> holds: when it was last seen false, and first seen true.</summary>
    private static async Task<(DateTimeOffset Before, DateTimeOffset After)> ChangedAsync(Func<bool> condition, TimeSpan limit, string failure)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        DateTimeOffset before = DateTimeOffset.UtcNow;
        Assert.False(condition(), failure + ": it had already changed when the test looked");
        while (!condition())
        {
            before = DateTimeOffset.UtcNow;
            Assert.True(clock.Elapsed < limit, failure);
            await Task.Delay(5);
        }

        return (before, DateTimeOffset.UtcNow);
    }

    private static async Task WhenConnectedAsync(B2buaCall call) =>
        await WaitAsync(() => call.AnnouncementPlayedInFull is not null, TimeSpan.FromSeconds(10), "the parties were never connected");

    private static Task<B2buaCall> EndedAsync(CallHarness h, SippResult agent, SippResult trunk, Task script) =>
        h.EndedAsync(agent, trunk, script, CallEnd.AgentHungUp);
}
