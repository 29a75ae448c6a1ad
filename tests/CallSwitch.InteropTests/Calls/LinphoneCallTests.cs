using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using CallSwitch.Calls.Media;
using CallSwitch.Calls.Recording;
using CallSwitch.Calls.Registration;
using CallSwitch.Calls.Sessions;
using CallSwitch.Compliance.Rules;
using CallSwitch.Compliance.Storage;
using CallSwitch.InteropTests.Signalling;
using CallSwitch.Sip.Transport;
using CallSwitch.Media.Codecs;
using CallSwitch.Recording.Timeline;
using CallSwitch.TestSupport;
using CallSwitch.TestSupport.Media;
using CallSwitch.TestSupport.Peers;
using Xunit.Abstractions;
using static CallSwitch.InteropTests.Calls.Softphones;

namespace CallSwitch.InteropTests.Calls;

/// <summary>
/// A second real softphone, Linphone's console (linphonec 5.1), as the agent, through the switch,
/// with SIPp as the carrier. Linphone is not baresip on the wire: it writes its digest headers with
/// double spaces, offers Opus and Speex before G.711 with three telephone-events (48, 16 and
/// 8 kHz), sends no Contact in its 180 and signs its ACK and BYE again (../shared/FIELD-NOTES.md).
/// </summary>
public sealed partial class LinphoneCallTests : IDisposable
{
    private const double AgentHz = 440;
    private const double ProspectHz = 1000;
    private const double NoticeHz = 2000;

    private readonly string _folder = Directory.CreateTempSubdirectory("cs-linphone-test-").FullName;
    private readonly ITestOutputHelper _output;

    public LinphoneCallTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task LinphoneRegistersCallsOutWithItsOpusFirstOfferAndIsAnsweredInG711WithOneTelephoneEventAndRecordedOnTheLeft()
    {
        await using var h = StartRecorded(out ConcurrentQueue<RecordingResult> finished);

        Task<SippResult> trunk = h.RunTrunkAsync("trunk-answer", h.TrunkValues(talkMs: 0, hangup: "trunk-wait-bye"));
        string wav = TestWav.WriteTone(Path.Combine(_folder, "agent.wav"), AgentHz, TimeSpan.FromSeconds(30));
        string heard = Path.Combine(_folder, "heard.wav");
        await using var phone = await Linphone.StartAsync(new LinphoneOptions { Server = h.Switch.EndPoint, User = "1001", Password = "demo1001", AudioSource = wav, HeardFile = heard });

        // Bound by the authenticated user at the port linphonec registered from, for the 600 s it
        // asked for in its Expires, after one digest challenge answered despite its double spaces.
        Binding binding = await WaitForBindingAsync(h.Switch, "1001", phone);
        Assert.Equal(phone.SipPort, binding.Flow.Remote.Port);
        Assert.Equal(TimeSpan.FromSeconds(600), binding.ExpiresAt - binding.RegisteredAt);
        Assert.StartsWith("Linphone", binding.UserAgent, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Authorization:  Digest", phone.SipLog, StringComparison.Ordinal);

        // The notice (1 s) to the prospect, then both talk for 3 s; linphonec hangs up.
        B2buaCall call = await CallOutAsync(h, trunk, phone);
        await Task.Delay(3000);
        await phone.HangUpAsync();
        await phone.WaitForOutputAsync(Ended(), TimeSpan.FromSeconds(10));
        SippResult carrier = await trunk;
        string context = $"\n{phone}\n--- switch log ---\n{h.Switch.Log}";
        Assert.True(carrier.ExitCode == 0, $"trunk: {carrier}{context}");
        await call.Completion.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(CallEnd.AgentHungUp, call.EndReason);
        NothingRefused(h.Switch, phone);
        Assert.True(call.AnnouncementPlayedInFull);
        Assert.Equal("1001", call.Plan.Agent);
        Assert.Equal(CallHarness.Number, call.Plan.ProspectNumber);

        // linphonec offered opus, speex 16k and 8k, then PCMU: the switch picked PCMU from the
        // middle of the list (what the trunk speaks: no transcoding) and answered one
        // telephone-event, the 8 kHz one linphonec numbered 101.
        Assert.Matches(@"m=audio \d+ RTP/AVP 96 97 98 0 8", phone.SipLog);
        Assert.Equal("PCMU", call.Media!.Negotiated(CallParty.Agent)!.Codec.EncodingName);
        string answer = SwitchSdp(phone.SipLog) ?? throw new InvalidOperationException("no SDP from the switch in linphonec's log" + context);
        Assert.Matches(@"m=audio \d+ RTP/AVP 0 101\r?\n", answer);
        Assert.Single(Regex.Matches(answer, "telephone-event"));
        Assert.Contains("a=rtpmap:101 telephone-event/8000", answer, StringComparison.Ordinal);

        // linphonec heard the prospect (its recording of the call), not itself nor the notice.
        var (rate, samples) = TestWav.Read(heard);
        ReadOnlySpan<short> last = samples.AsSpan(Math.Max(0, samples.Length - (2 * rate)));
        Assert.True(last.Length >= rate, $"{samples.Length} samples heard at {rate} Hz{context}");
        double heardProspect = ToneMeter.TonePower(last, rate, ProspectHz);
        _output.WriteLine($"linphonec heard: {ToneMeter.Decibels(heardProspect, 1):F1} dB at {ProspectHz} Hz, {ToneMeter.Decibels(ToneMeter.TonePower(last, rate, AgentHz), 1):F1} dB at {AgentHz} Hz, {ToneMeter.Decibels(ToneMeter.TonePower(last, rate, NoticeHz), 1):F1} dB at {NoticeHz} Hz");
        AtLeast20Db(heardProspect, ToneMeter.TonePower(last, rate, AgentHz), "linphonec heard the prospect's tone, not its own", context);
        AtLeast20Db(heardProspect, ToneMeter.TonePower(last, rate, NoticeHz), "linphonec heard the prospect's tone, not the notice", context);

        // The recording: linphonec's tone on the left, the prospect's on the right.
        RecordingResult result = Assert.Single(finished);
        Assert.Equal(RecordingStatus.Complete, result.Status);
        RecordedAudio audio = RecordedAudio.Open(result.FilePath!, h.RecordingKeys!);
        double from = 0.3, to = audio.Seconds - 0.3;
        string levels = $"recorded {result.Duration.TotalSeconds:F2} s: left {RecordedAudio.Decibels(audio.TonePower(0, AgentHz, from, to), audio.TonePower(0, ProspectHz, from, to)):F1} dB agent over prospect, right {RecordedAudio.Decibels(audio.TonePower(1, ProspectHz, from, to), audio.TonePower(1, AgentHz, from, to)):F1} dB prospect over agent";
        _output.WriteLine(levels);
        AtLeast20Db(audio.TonePower(0, AgentHz, from, to), audio.TonePower(0, ProspectHz, from, to), "left: agent over prospect", levels + context);
        AtLeast20Db(audio.TonePower(1, ProspectHz, from, to), audio.TonePower(1, AgentHz, from, to), "right: prospect over agent", levels + context);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ATrunkCallReachesLinphoneWhichAnswersAndTheProspectHearsTheNoticeThenLinphone(bool tcp)
    {
        await using var h = CallHarness.Start(inboundDid: "+33140000000", noticeHz: NoticeHz);
        byte[][] prospectTone = CallHarness.EncodedTone(ProspectHz, 400, AudioCodecInfo.Pcma);
        h.ProspectPayload = i => prospectTone[i % prospectTone.Length];
        string wav = TestWav.WriteTone(Path.Combine(_folder, "agent.wav"), AgentHz, TimeSpan.FromSeconds(30));
        string heard = Path.Combine(_folder, "heard.wav");
        await using var phone = await Linphone.StartAsync(new LinphoneOptions
        {
            Server = h.Switch.EndPoint,
            User = "1002",
            Password = "demo1002",
            AudioSource = wav,
            HeardFile = heard,
            AutoAnswer = true,
            Tcp = tcp,
        });

        // Over TCP, the switch reaches linphonec through the connection it registered on.
        Binding binding = await WaitForBindingAsync(h.Switch, "1002", phone);
        Assert.Equal(tcp ? SipProtocol.Tcp : SipProtocol.Udp, binding.Flow.Protocol);

        var values = new Dictionary<string, string>
        {
            ["DID"] = "+33140000000",
            ["RTP_PORT"] = h.TrunkMedia.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["TALK_MS"] = "4000",
        };
        Task<SippResult> trunk = h.RunTrunkAsync("trunk-call", values);
        B2buaCall call = await h.WaitForCallAsync(trunk.WaitAsync(TimeSpan.FromSeconds(10))) ?? throw new InvalidOperationException($"no answered call\n{await trunk}\n{phone}\n--- switch log ---\n{h.Switch.Log}");
        h.StartProspectMedia(call);
        SippResult result = await trunk;
        string context = $"\n{phone}\n--- switch log ---\n{h.Switch.Log}";
        Assert.True(result.ExitCode == 0, $"carrier: {result}{context}");
        await call.Completion.WaitAsync(TimeSpan.FromSeconds(5));
        await phone.WaitForOutputAsync(Ended(), TimeSpan.FromSeconds(10));

        Assert.Equal(CallParty.Prospect, call.Plan.Caller);
        Assert.Equal("1002", call.Plan.Agent);
        Assert.True(call.AnnouncementPlayedInFull);
        Assert.Equal(CallEnd.ProspectHungUp, call.EndReason);
        NothingRefused(h.Switch, phone);
        Assert.Matches(@"Receiving new incoming call from .*0612345678", phone.Output);

        // The prospect hears the notice, then linphonec's microphone.
        IReadOnlyList<ReceivedRtp> atCarrier = h.TrunkMedia.Received;
        int noticeFrames = h.Notice.GetEncoded(AudioCodecInfo.Pcma).FrameCount;
        ReceivedRtp[] agentFrames = [.. atCarrier.Skip(noticeFrames + 10).Where(p => p.PayloadType == 8)];
        Assert.True(agentFrames.Length >= 100, $"{agentFrames.Length} frames after the notice{context}");
        short[] pcm = Decode(agentFrames, AudioCodecInfo.Pcma);
        double agent = ToneMeter.TonePower(pcm, 8000, AgentHz);
        _output.WriteLine($"at the carrier after the notice: {ToneMeter.Decibels(agent, 1):F1} dB at {AgentHz} Hz, {ToneMeter.Decibels(ToneMeter.TonePower(pcm, 8000, NoticeHz), 1):F1} dB at {NoticeHz} Hz");
        AtLeast20Db(agent, ToneMeter.TonePower(pcm, 8000, ProspectHz), "at the carrier: linphonec's tone over the prospect's own", context);
        AtLeast20Db(agent, ToneMeter.TonePower(pcm, 8000, NoticeHz), "at the carrier: linphonec's tone over the notice", context);

        // linphonec heard the prospect.
        var (rate, samples) = TestWav.Read(heard);
        ReadOnlySpan<short> last = samples.AsSpan(Math.Max(0, samples.Length - (2 * rate)));
        Assert.True(last.Length >= rate, $"{samples.Length} samples heard at {rate} Hz{context}");
        AtLeast20Db(ToneMeter.TonePower(last, rate, ProspectHz), ToneMeter.TonePower(last, rate, AgentHz), "linphonec heard the prospect's tone, not its own", context);
    }

    [Fact]
    public async Task LinphoneKeysPauseAndResumeTheRecordingAndThePauseIsSilentOnBothChannels()
    {
        await using var h = StartRecorded(out ConcurrentQueue<RecordingResult> finished);

        Task<SippResult> trunk = h.RunTrunkAsync("trunk-answer", h.TrunkValues(talkMs: 0, hangup: "trunk-wait-bye"));
        string wav = TestWav.WriteTone(Path.Combine(_folder, "agent.wav"), AgentHz, TimeSpan.FromSeconds(30));
        await using var phone = await Linphone.StartAsync(new LinphoneOptions { Server = h.Switch.EndPoint, User = "1001", Password = "demo1001", AudioSource = wav });
        await WaitForBindingAsync(h.Switch, "1001", phone);
        B2buaCall call = await CallOutAsync(h, trunk, phone);

        // Typed at linphonec's prompt during a call, keys go out as DTMF (RFC 4733 events by default).
        // Each stretch is timed from when the switch applied the keys: a loaded linphonec sends them late.
        await Task.Delay(1500);
        await phone.CommandAsync("*1");
        await h.RecordingStateAsync(call, RecordingState.Paused, TimeSpan.FromSeconds(10), () => $"\n{phone}\n--- switch log ---\n{h.Switch.Log}");
        await Task.Delay(2500);
        await phone.CommandAsync("*2");
        await h.RecordingStateAsync(call, RecordingState.Recording, TimeSpan.FromSeconds(10), () => $"\n{phone}\n--- switch log ---\n{h.Switch.Log}");
        await Task.Delay(2000);
        await phone.HangUpAsync();
        await phone.WaitForOutputAsync(Ended(), TimeSpan.FromSeconds(10));
        SippResult carrier = await trunk;
        string context = $"\n{phone}\n--- switch log ---\n{h.Switch.Log}";
        Assert.True(carrier.ExitCode == 0, $"trunk: {carrier}{context}");
        await call.Completion.WaitAsync(TimeSpan.FromSeconds(5));

        RecordingResult result = Assert.Single(finished);
        Assert.Equal(RecordingStatus.Complete, result.Status);
        PauseSpan pause = Assert.Single(result.PauseSpans);
        Assert.NotNull(pause.End);
        double start = pause.Start.TotalSeconds, end = pause.End!.Value.TotalSeconds;
        Assert.True(end - start is > 2 and < 6, $"pause [{start:F2}, {end:F2}) s{context}");

        // Inside the pause both channels are silent; before and after, each party is on its side.
        RecordedAudio audio = RecordedAudio.Open(result.FilePath!, h.RecordingKeys!);
        double agentBefore = audio.TonePower(0, AgentHz, 0.3, start - 0.2);
        double prospectBefore = audio.TonePower(1, ProspectHz, 0.3, start - 0.2);
        double agentIn = audio.TonePower(0, AgentHz, start + 0.2, end - 0.2);
        double prospectIn = audio.TonePower(1, ProspectHz, start + 0.2, end - 0.2);
        double agentAfter = audio.TonePower(0, AgentHz, end + 0.3, audio.Seconds - 0.3);
        string levels = $"pause [{start:F2}, {end:F2}) s of {audio.Seconds:F2} s: agent {RecordedAudio.Decibels(agentBefore, 1):F1} / {RecordedAudio.Decibels(agentIn, 1):F1} / {RecordedAudio.Decibels(agentAfter, 1):F1} dB before / in / after, prospect {RecordedAudio.Decibels(prospectBefore, 1):F1} / {RecordedAudio.Decibels(prospectIn, 1):F1} dB";
        _output.WriteLine(levels);
        Assert.True(RecordedAudio.Decibels(agentBefore, agentIn) >= 40, "the agent is heard in the pause: " + levels + context);
        Assert.True(RecordedAudio.Decibels(prospectBefore, prospectIn) >= 40, "the prospect is heard in the pause: " + levels + context);
        Assert.True(RecordedAudio.Decibels(agentAfter, agentIn) >= 40, "the agent is not back after the resume: " + levels + context);
    }

    /// <summary>The harness recording every call of campaign "spring" (without its notice), the prospect talking 1 kHz; <paramref name="finished"/> collects the recordings' results.</summary>
    private static CallHarness StartRecorded(out ConcurrentQueue<RecordingResult> finished)
    {
        var rule = new RecordingRule { CampaignId = "spring", Mode = RecordingMode.Always, RecordAnnouncement = false };
        CallHarness h = CallHarness.Start(recording: rule, noticeHz: NoticeHz);
        var results = new ConcurrentQueue<RecordingResult>();
        h.Switch.Host.Recordings!.Finished += results.Enqueue;
        byte[][] prospectTone = CallHarness.PcmuTone(ProspectHz, 400);
        h.ProspectPayload = i => prospectTone[i % prospectTone.Length];
        finished = results;
        return h;
    }

    /// <summary>linphonec calls the prospect; once the carrier answered, the prospect talks; returns when the notice has ended.</summary>
    private static async Task<B2buaCall> CallOutAsync(CallHarness h, Task<SippResult> trunk, Linphone phone)
    {
        await phone.CallAsync($"sip:0612345678@{h.Switch.EndPoint}");
        B2buaCall call = await h.WaitForCallAsync(trunk.WaitAsync(TimeSpan.FromSeconds(10))) ?? throw new InvalidOperationException($"no answered call\n{await trunk}\n{phone}\n--- switch log ---\n{h.Switch.Log}");
        h.StartProspectMedia(call);
        await phone.WaitForOutputAsync(Connected(), TimeSpan.FromSeconds(10));
        for (int i = 0; i < 300 && call.AnnouncementPlayedInFull is null; i++)
        {
            await Task.Delay(10);
        }

        return call;
    }

    /// <summary>The SDP body the switch sent (its origin line's user is "callswitch"), as linphonec logged it.</summary>
    private static string? SwitchSdp(string log)
    {
        int origin = log.IndexOf("o=callswitch ", StringComparison.Ordinal);
        if (origin < 0)
        {
            return null;
        }

        int start = log.LastIndexOf("v=0", origin, StringComparison.Ordinal);
        Match end = Regex.Match(log[origin..], @"\r?\n(?![a-z]=)");
        return log[start..(origin + (end.Success ? end.Index : log.Length - origin))] + "\n";
    }

    private static short[] Decode(IReadOnlyList<ReceivedRtp> frames, AudioCodecInfo codec)
    {
        IAudioDecoder decoder = CodecRegistry.Default.CreateDecoder(codec);
        var pcm = new short[frames.Count * 160];
        int at = 0;
        foreach (ReceivedRtp frame in frames)
        {
            at += decoder.Decode(frame.Payload, pcm.AsSpan(at));
        }

        return pcm[..at];
    }

    [GeneratedRegex(@"Call \d+ with .* connected\.")]
    private static partial Regex Connected();

    [GeneratedRegex(@"Call \d+ with .* ended")]
    private static partial Regex Ended();

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
