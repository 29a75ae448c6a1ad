using CallSwitch.Compliance.Storage;
using CallSwitch.Compliance.Rules;
using CallSwitch.Configuration;
using System.Collections.Concurrent;
using CallSwitch.Calls.Media;
using CallSwitch.Calls.Recording;
using CallSwitch.Calls.Registration;
using CallSwitch.Calls.Sessions;
using CallSwitch.Media.Codecs;
using CallSwitch.InteropTests.Signalling;
using CallSwitch.Sip.Transport;
using CallSwitch.TestSupport;
using CallSwitch.TestSupport.Media;
using CallSwitch.TestSupport.Peers;
using Xunit.Abstractions;
using static CallSwitch.InteropTests.Calls.Softphones;

namespace CallSwitch.InteropTests.Calls;

/// <summary>
/// A real softphone (baresip) as the agent, through the switch, with SIPp as the carrier.
/// </summary>
public sealed class BaresipCallTests : IDisposable
{
    private const double AgentHz = 440;
    private const double ProspectHz = 1000;
    private const double NoticeHz = 2000;

    private readonly string _folder = Directory.CreateTempSubdirectory("cs-baresip-test-").FullName;
    private readonly ITestOutputHelper _output;

    public BaresipCallTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task BaresipRegistersAsAgent1001WithDigestAndTheExpiryItAskedFor()
    {
        await using var sw = TestSwitch.Start();
        string wav = TestWav.WriteTone(Path.Combine(_folder, "agent.wav"), AgentHz, TimeSpan.FromSeconds(20));
        await using var phone = await Baresip.StartAsync(new BaresipOptions { Server = sw.EndPoint, User = "1001", Password = "demo1001", AudioSource = wav, RegisterSeconds = 600 });

        Binding binding = await WaitForBindingAsync(sw, "1001", phone);

        // Bound by the authenticated user (baresip's Contact user is "1001-0x<pointer>"), at the
        // port it registered from, for the 600 s it asked for in the Contact's expires parameter.
        Assert.StartsWith("sip:1001-0x", binding.ContactUri, StringComparison.Ordinal);
        Assert.EndsWith("@127.0.0.1:" + phone.SipPort, binding.ContactUri, StringComparison.Ordinal);
        Assert.Equal(SipProtocol.Udp, binding.Flow.Protocol);
        Assert.Equal(phone.SipPort, binding.Flow.Remote.Port);
        Assert.Equal(TimeSpan.FromSeconds(600), binding.ExpiresAt - binding.RegisteredAt);
        Assert.StartsWith("baresip", binding.UserAgent, StringComparison.Ordinal);

        // baresip's side: registered, for 600 s, after one MD5 challenge (the only algorithm it
        // knows: offered SHA-256 as well, it gives up), answered with qop=auth.
        string info = await phone.CommandAsync("reginfo");
        Assert.Matches(@"sip:1001@127\.0\.0\.1:\d+\s+OK\s+CallSwitch Expires 600s", info);
        string output = phone.Output;
        Assert.Contains("WWW-Authenticate: Digest realm=\"callswitch\"", output, StringComparison.Ordinal);
        Assert.DoesNotContain("algorithm=SHA-256", output, StringComparison.Ordinal);
        Assert.Matches(@"Authorization: Digest username=""1001"", realm=""callswitch"".*qop=auth, nc=00000001", output);
    }

    [Fact]
    public async Task BaresipCallsOutThroughTheTrunkAndTheRecordingHasItOnTheLeftAndTheProspectOnTheRight()
    {
        var rule = new RecordingRule { CampaignId = "spring", Mode = RecordingMode.Always, RecordAnnouncement = false };
        await using var h = CallHarness.Start(recording: rule, noticeHz: NoticeHz);
        var finished = new ConcurrentQueue<RecordingResult>();
        h.Switch.Host.Recordings!.Finished += finished.Enqueue;
        byte[][] prospectTone = CallHarness.PcmuTone(ProspectHz, 400);
        h.ProspectPayload = i => prospectTone[i % prospectTone.Length];

        // The carrier answers and waits for the BYE; the prospect's tone comes from the test's socket.
        Task<SippResult> trunk = h.RunTrunkAsync("trunk-answer", h.TrunkValues(talkMs: 0, hangup: "trunk-wait-bye"));
        string wav = TestWav.WriteTone(Path.Combine(_folder, "agent.wav"), AgentHz, TimeSpan.FromSeconds(20));
        await using var phone = await Baresip.StartAsync(new BaresipOptions { Server = h.Switch.EndPoint, User = "1001", Password = "demo1001", AudioSource = wav });
        await WaitForBindingAsync(h.Switch, "1001", phone);

        await phone.DialAsync("0612345678");
        B2buaCall call = await h.WaitForCallAsync(trunk.WaitAsync(TimeSpan.FromSeconds(10))) ?? throw new InvalidOperationException($"no answered call\n{await trunk}\n{phone}\n--- switch log ---\n{h.Switch.Log}");
        h.StartProspectMedia(call);
        await phone.WaitForEventAsync("CALL_ESTABLISHED", TimeSpan.FromSeconds(5));

        // The notice (1 s) to the prospect, then both talk for 3 s; baresip hangs up.
        for (int i = 0; i < 300 && call.AnnouncementPlayedInFull is null; i++)
        {
            await Task.Delay(10);
        }

        await Task.Delay(3000);
        await phone.HangUpAsync();
        await phone.WaitForEventAsync("CALL_CLOSED", TimeSpan.FromSeconds(5));
        SippResult carrier = await trunk;
        Assert.True(carrier.ExitCode == 0, $"trunk: {carrier}\n{phone}\n--- switch log ---\n{h.Switch.Log}");
        await call.Completion.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(CallEnd.AgentHungUp, call.EndReason);
        NothingRefused(h.Switch, phone);
        Assert.True(call.AnnouncementPlayedInFull);
        Assert.Equal("1001", call.Plan.Agent);
        Assert.Equal(CallHarness.Number, call.Plan.ProspectNumber);
        // baresip offered PCMU first (then PCMA) and the trunk answered PCMU: no transcoding.
        Assert.Equal("PCMU", call.Media!.Negotiated(CallParty.Agent)!.Codec.EncodingName);
        Assert.Equal("PCMU", call.Media.Negotiated(CallParty.Prospect)!.Codec.EncodingName);

        RecordingResult result = Assert.Single(finished);
        Assert.Equal(RecordingStatus.Complete, result.Status);
        Assert.Equal(0, result.DroppedPackets);
        Assert.Equal("1001", result.Agent);
        RecordedAudio audio = RecordedAudio.Open(result.FilePath!, h.RecordingKeys!);
        Assert.Contains("codec_name=opus", audio.Probe, StringComparison.Ordinal);
        Assert.Contains("channels=2", audio.Probe, StringComparison.Ordinal);

        // From the connection to the hang-up: about 3 s, the file as long as the recording.
        string context = $"recorded {result.Duration.TotalSeconds:F3} s, opusinfo {audio.PlaybackLength:F3} s, decoded {audio.Seconds:F3} s" + audio.Profile();
        Assert.True(result.Duration.TotalSeconds is > 2.5 and < 4.5, context);
        Assert.True(Math.Abs(audio.PlaybackLength - result.Duration.TotalSeconds) <= 0.03, context);

        // Both talk all along: the agent's tone on the left, the prospect's on the right, each at
        // least 20 dB above the other party on its channel, and 20 dB above its own leak to the other channel.
        double from = 0.3, to = audio.Seconds - 0.3;
        _output.WriteLine(context.Split('\n')[0] + $", left {RecordedAudio.Decibels(audio.TonePower(0, AgentHz, from, to), audio.TonePower(0, ProspectHz, from, to)):F1} dB agent over prospect, right {RecordedAudio.Decibels(audio.TonePower(1, ProspectHz, from, to), audio.TonePower(1, AgentHz, from, to)):F1} dB prospect over agent");
        AtLeast20Db(audio.TonePower(0, AgentHz, from, to), audio.TonePower(0, ProspectHz, from, to), "left: agent over prospect", context);
        AtLeast20Db(audio.TonePower(1, ProspectHz, from, to), audio.TonePower(1, AgentHz, from, to), "right: prospect over agent", context);
        AtLeast20Db(audio.TonePower(0, AgentHz, from, to), audio.TonePower(1, AgentHz, from, to), "agent: left over right", context);
        AtLeast20Db(audio.TonePower(1, ProspectHz, from, to), audio.TonePower(0, ProspectHz, from, to), "prospect: right over left", context);
    }

    [Fact]
    public async Task ATrunkCallToOurNumberReachesBaresipWhichAnswersAndBothPartiesHearEachOther()
    {
        await using var h = CallHarness.Start(inboundDid: "+33140000000", noticeHz: NoticeHz);
        // The carrier offers PCMA first: the prospect speaks PCMA.
        byte[][] prospectTone = CallHarness.EncodedTone(ProspectHz, 400, AudioCodecInfo.Pcma);
        h.ProspectPayload = i => prospectTone[i % prospectTone.Length];
        string wav = TestWav.WriteTone(Path.Combine(_folder, "agent.wav"), AgentHz, TimeSpan.FromSeconds(20));
        string dumps = Directory.CreateDirectory(Path.Combine(_folder, "heard")).FullName;
        await using var phone = await Baresip.StartAsync(new BaresipOptions
        {
            Server = h.Switch.EndPoint,
            User = "1002",
            Password = "demo1002",
            AudioSource = wav,
            AutoAnswer = true,
            DumpFolder = dumps,
        });
        await WaitForBindingAsync(h.Switch, "1002", phone);

        var carrier = new Dictionary<string, string>
        {
            ["DID"] = "+33140000000",
            ["RTP_PORT"] = h.TrunkMedia.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["TALK_MS"] = "4000",
        };
        Task<SippResult> trunk = h.RunTrunkAsync("trunk-call", carrier);
        B2buaCall call = await h.WaitForCallAsync(trunk.WaitAsync(TimeSpan.FromSeconds(10))) ?? throw new InvalidOperationException($"no answered call\n{await trunk}\n{phone}\n--- switch log ---\n{h.Switch.Log}");
        h.StartProspectMedia(call);
        SippResult result = await trunk;
        Assert.True(result.ExitCode == 0, $"carrier: {result}\n{phone}\n--- switch log ---\n{h.Switch.Log}");
        await call.Completion.WaitAsync(TimeSpan.FromSeconds(5));
        await phone.WaitForEventAsync("CALL_CLOSED", TimeSpan.FromSeconds(5));

        Assert.Equal(CallParty.Prospect, call.Plan.Caller);
        Assert.Equal("1002", call.Plan.Agent);
        Assert.Equal("+33612345678", call.Plan.ProspectNumber);
        Assert.True(call.AnnouncementPlayedInFull);
        Assert.Equal(CallEnd.ProspectHungUp, call.EndReason);
        NothingRefused(h.Switch, phone);
        // baresip answered by itself (auto-answer reports no CALL_INCOMING), the prospect's number as the caller.
        BaresipEvent established = await phone.WaitForEventAsync("CALL_ESTABLISHED", TimeSpan.Zero);
        Assert.Equal("incoming", established.Direction);
        Assert.StartsWith("sip:0612345678@", established.Peer, StringComparison.Ordinal);
        string context = $"\n{phone}\n--- switch log ---\n{h.Switch.Log}";

        // The prospect hears the whole notice, then baresip's microphone: its tone, not the notice
        // nor an echo of the prospect, over at least 2 s.
        IReadOnlyList<ReceivedRtp> atCarrier = h.TrunkMedia.Received;
        int noticeFrames = h.Notice.GetEncoded(AudioCodecInfo.Pcma).FrameCount;
        ReceivedRtp[] agentFrames = atCarrier.Skip(noticeFrames + 10).Where(p => p.PayloadType == 8).ToArray();
        Assert.True(agentFrames.Length >= 100, $"{agentFrames.Length} frames after the notice{context}");
        var (tone, prospect, notice, power) = Measure(agentFrames, AudioCodecInfo.Pcma);
        string levels = $"agent at the carrier: {ToneMeter.Decibels(tone, 1):F1} dB at {AgentHz} Hz, {ToneMeter.Decibels(prospect, 1):F1} dB at {ProspectHz} Hz, {ToneMeter.Decibels(notice, 1):F1} dB at {NoticeHz} Hz, {ToneMeter.Decibels(power, 1):F1} dB in all";
        _output.WriteLine(levels);
        AtLeast20Db(tone, prospect, "at the carrier: agent tone over the prospect's", levels + context);
        AtLeast20Db(tone, notice, "at the carrier: agent tone over the notice", levels + context);
        // A pure tone's Goertzel power is half its mean power: most of what arrives is the tone.
        Assert.True(ToneMeter.Decibels(2 * tone, power) > -1, levels + context);

        // And baresip heard the prospect (what it decoded, dumped by its sndfile module).
        string heard = Assert.Single(Directory.GetFiles(dumps, "*dec.wav"));
        var (rate, samples) = TestWav.Read(heard);
        Assert.Equal(8000, rate);
        ReadOnlySpan<short> last = samples.AsSpan(Math.Max(0, samples.Length - (2 * rate)));
        Assert.True(last.Length >= rate, $"{samples.Length} samples heard{context}");
        double heardProspect = ToneMeter.TonePower(last, rate, ProspectHz);
        double heardAgent = ToneMeter.TonePower(last, rate, AgentHz);
        _output.WriteLine($"baresip heard: {ToneMeter.Decibels(heardProspect, 1):F1} dB at {ProspectHz} Hz, {ToneMeter.Decibels(heardAgent, 1):F1} dB at {AgentHz} Hz");
        AtLeast20Db(heardProspect, heardAgent, "baresip heard the prospect's tone, not its own", context);
    }

    /// <summary>Decodes each frame and measures it alone (a lost or late packet breaks no phase): mean tone and total powers.</summary>
    private static (double Agent, double Prospect, double Notice, double Power) Measure(IReadOnlyList<ReceivedRtp> frames, AudioCodecInfo codec)
    {
        IAudioDecoder decoder = CodecRegistry.Default.CreateDecoder(codec);
        var pcm = new short[160];
        double agent = 0, prospect = 0, notice = 0, power = 0;
        foreach (ReceivedRtp frame in frames)
        {
            int n = decoder.Decode(frame.Payload, pcm);
            agent += ToneMeter.TonePower(pcm.AsSpan(0, n), 8000, AgentHz);
            prospect += ToneMeter.TonePower(pcm.AsSpan(0, n), 8000, ProspectHz);
            notice += ToneMeter.TonePower(pcm.AsSpan(0, n), 8000, NoticeHz);
            power += ToneMeter.Power(pcm.AsSpan(0, n));
        }

        return (agent / frames.Count, prospect / frames.Count, notice / frames.Count, power / frames.Count);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
