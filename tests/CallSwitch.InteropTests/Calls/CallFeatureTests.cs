using CallSwitch.Calls.Sessions;
using CallSwitch.Media.Codecs;
using CallSwitch.Sip.Sdp;
using CallSwitch.TestSupport.Media;

namespace CallSwitch.InteropTests.Calls;

/// <summary>What happens inside a connected call: hold and resume, DTMF, transcoding, a carrier's own challenge.</summary>
public class CallFeatureTests
{
    [Fact]
    public async Task AgentHoldAndResumeArePropagatedToTheTrunk()
    {
        await using var h = CallHarness.Start();

        var (agent, trunk) = await h.RunAsync("trunk-answer", "agent-hold", "trunk-hold", talkMs: 1500);

        // The agent's scenario checks the switch answered recvonly then sendrecv; the trunk's
        // checks it was offered sendonly then sendrecv.
        Assert.True(agent.ExitCode == 0, "agent: " + agent + "\n--- switch log ---\n" + h.Switch.Log);
        Assert.True(trunk.ExitCode == 0, "trunk: " + trunk + "\n--- switch log ---\n" + h.Switch.Log);
        Assert.Contains("put on hold", h.Switch.Log, StringComparison.Ordinal);
        Assert.Contains("resumed", h.Switch.Log, StringComparison.Ordinal);
        await h.LastCall!.Completion.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(CallEnd.AgentHungUp, h.LastCall.EndReason);
    }

    [Fact]
    public async Task DtmfFromTheAgentIsRelayedAndSeenByTheSwitch()
    {
        await using var h = CallHarness.Start();

        var (agent, trunk) = await h.RunAsync(
            "trunk-answer",
            "agent-bye",
            "trunk-wait-bye",
            talkMs: 2500,
            onAnswered: call => { _ = PressAfterNoticeAsync(h, call); });

        Assert.True(agent.ExitCode == 0, "agent: " + agent + "\n--- switch log ---\n" + h.Switch.Log);
        Assert.True(trunk.ExitCode == 0, "trunk: " + trunk);

        // RFC 4733 packets reach the trunk with its telephone-event payload type, the digit intact, once per event.
        ReceivedRtp[] events = h.TrunkMedia.Received.Where(p => p.PayloadType == 101).ToArray();
        Assert.True(events.Length >= 4, $"{events.Length} telephone-event packets reached the trunk\n{h.Switch.Log}");
        Assert.All(events, p => Assert.Equal(5, p.Payload[0]));
        Assert.Single(events.Select(p => p.Timestamp).Distinct());
        string seen = Assert.Single(h.Switch.Log.Split('\n'), l => l.Contains("DTMF", StringComparison.Ordinal));
        Assert.Contains("5", seen.Split("DTMF")[1], StringComparison.Ordinal);
        Assert.Contains("agent", seen, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EarlyMediaOfA183ReachesTheAgentBeforeTheAnswer()
    {
        await using var h = CallHarness.Start();

        var (agent, trunk) = await h.RunAsync("trunk-early-media", "agent-bye", "trunk-wait-bye", talkMs: 1500);

        Assert.True(agent.ExitCode == 0, "agent: " + agent + "\n--- switch log ---\n" + h.Switch.Log);
        Assert.True(trunk.ExitCode == 0, "trunk: " + trunk + "\n--- switch log ---\n" + h.Switch.Log);
        B2buaCall call = h.LastCall!;
        DateTimeOffset answered = call.AnsweredAt ?? throw new InvalidOperationException("never answered");
        int early = h.AgentMedia.Received.Count(p => p.ReceivedAt < answered && p.Payload.AsSpan().SequenceEqual(CallHarness.ProspectVoice));
        Assert.True(early >= 20, $"{early} packets of the carrier's early media reached the agent before the answer\n{h.Switch.Log}");

        // The agent's own audio waits for the answer and the notice.
        Assert.DoesNotContain(h.TrunkMedia.Received, p => p.ReceivedAt < answered && p.Payload.AsSpan().SequenceEqual(CallHarness.AgentVoice));
    }

    [Fact]
    public async Task AgentOnPcmaTalksToTrunkOnPcmuThroughTheTranscoder()
    {
        await using var h = CallHarness.Start(trunkCodecs: [AudioCodec.Pcmu, AudioCodec.TelephoneEvent]);
        Transcoder expected = CodecRegistry.Default.CreateTranscoder(AudioCodecInfo.Pcma, AudioCodecInfo.Pcmu);
        byte[] converted = new byte[160];
        expected.Transcode(CallHarness.AgentVoice, converted);

        var (agent, trunk) = await h.RunAsync("trunk-answer", "agent-bye", "trunk-wait-bye", talkMs: 2500, agentCodec: "PCMA", trunkCodec: "PCMU");

        Assert.True(agent.ExitCode == 0, "agent: " + agent + "\n--- switch log ---\n" + h.Switch.Log);
        Assert.True(trunk.ExitCode == 0, "trunk: " + trunk);
        Assert.Equal("PCMA", h.LastCall!.Media!.Negotiated(CallSwitch.Calls.Media.CallParty.Agent)!.Codec.EncodingName);
        Assert.Equal("PCMU", h.LastCall.Media.Negotiated(CallSwitch.Calls.Media.CallParty.Prospect)!.Codec.EncodingName);

        // The trunk hears the agent's signal re-encoded in PCMU (payload type 0), never the raw PCMA bytes.
        ReceivedRtp[] atTrunk = h.TrunkMedia.Received.ToArray();
        Assert.All(atTrunk, p => Assert.Equal(0, p.PayloadType));
        Assert.True(atTrunk.Count(p => p.Payload.AsSpan().SequenceEqual(converted)) >= 25, h.Switch.Log);
        Assert.DoesNotContain(atTrunk, p => p.Payload.AsSpan().SequenceEqual(CallHarness.AgentVoice));

        // And the agent hears the prospect's PCMU converted to PCMA (payload type 8).
        Assert.Contains(h.AgentMedia.Received, p => p.PayloadType == 8);
        Assert.DoesNotContain(h.AgentMedia.Received, p => p.PayloadType == 0);
    }

    [Fact]
    public async Task AnswersTheCarriersOwnDigestChallenge()
    {
        await using var h = CallHarness.Start(trunkUsername: "carrier-user", trunkPassword: "carrier-secret");

        var (agent, trunk) = await h.RunAsync("trunk-auth", "agent-bye", null, talkMs: 1000);

        Assert.True(agent.ExitCode == 0, "agent: " + agent + "\n--- trunk ---\n" + trunk + "\n--- switch log ---\n" + h.Switch.Log);
        Assert.True(trunk.ExitCode == 0, "trunk: " + trunk + "\n--- switch log ---\n" + h.Switch.Log);
        Assert.Contains("Answering the trunk's 401 challenge", h.Switch.Log, StringComparison.Ordinal);
        Assert.DoesNotContain("carrier-secret", h.Switch.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoAgentsOnDifferentCodecsTalkThroughTheTranscoder()
    {
        await using var h = CallHarness.Start();
        var callee = new Dictionary<string, string>
        {
            ["USER"] = "1002",
            ["PASSWORD"] = "demo1002",
            ["RTP_PORT"] = h.TrunkMedia.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["AGENT_PT"] = "8",
            ["AGENT_CODEC"] = "PCMA",
            ["EXPECT_IN_INVITE"] = "m=audio [0-9]+ RTP/AVP 0 8 9",
        };
        var caller = h.AgentValues(number: "1002", talkMs: 2000, hangup: "agent-bye");
        int calleePort = TestSupport.FreePorts.Next();
        await h.RegisterAgentAsync("1002", "demo1002", calleePort);

        var (callerResult, calleeResult) = await h.RunPairAsync("agent-answer", callee, calleePort, "agent-call", caller, null);

        Assert.True(callerResult.ExitCode == 0, "caller: " + callerResult + "\n--- callee ---\n" + calleeResult + "\n--- switch log ---\n" + h.Switch.Log);
        Assert.True(calleeResult.ExitCode == 0, "callee: " + calleeResult + "\n--- switch log ---\n" + h.Switch.Log);
        B2buaCall call = h.LastCall!;
        Assert.Null(call.Plan.TrunkId);
        Assert.Null(call.Plan.Announcement);
        Assert.Equal("PCMU", call.Media!.Negotiated(CallSwitch.Calls.Media.CallParty.Agent)!.Codec.EncodingName);
        Assert.Equal("PCMA", call.Media.Negotiated(CallSwitch.Calls.Media.CallParty.Prospect)!.Codec.EncodingName);

        byte[] converted = new byte[160];
        CodecRegistry.Default.CreateTranscoder(AudioCodecInfo.Pcmu, AudioCodecInfo.Pcma).Transcode(CallHarness.AgentVoice, converted);
        Assert.True(h.TrunkMedia.Received.Count(p => p.PayloadType == 8 && p.Payload.AsSpan().SequenceEqual(converted)) >= 25, h.Switch.Log);
        Assert.True(h.AgentMedia.Received.Count(p => p.PayloadType == 0) >= 25, h.Switch.Log);
    }

    [Fact]
    public async Task TrunkCallToOurNumberReachesTheRegisteredAgentAfterTheNotice()
    {
        await using var h = CallHarness.Start(inboundDid: "+33140000000");
        var agent = new Dictionary<string, string>
        {
            ["USER"] = "1002",
            ["PASSWORD"] = "demo1002",
            ["RTP_PORT"] = h.AgentMedia.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["AGENT_PT"] = "0",
            ["AGENT_CODEC"] = "PCMU",
            ["EXPECT_IN_INVITE"] = "From: .sip:0612345678@",
        };
        var carrier = new Dictionary<string, string>
        {
            ["DID"] = "+33140000000",
            ["RTP_PORT"] = h.TrunkMedia.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["TALK_MS"] = "2500",
        };

        int agentPort = TestSupport.FreePorts.Next();
        await h.RegisterAgentAsync("1002", "demo1002", agentPort);

        var (carrierResult, agentResult) = await h.RunPairAsync("agent-answer", agent, agentPort, "trunk-call", carrier, h.TrunkPort);

        Assert.True(carrierResult.ExitCode == 0, "carrier: " + carrierResult + "\n--- agent ---\n" + agentResult + "\n--- switch log ---\n" + h.Switch.Log);
        Assert.True(agentResult.ExitCode == 0, "agent: " + agentResult + "\n--- switch log ---\n" + h.Switch.Log);
        B2buaCall call = h.LastCall!;
        await call.Completion.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(CallSwitch.Calls.Media.CallParty.Prospect, call.Plan.Caller);
        Assert.Equal("1002", call.Plan.Agent);
        Assert.Equal("+33612345678", call.Plan.ProspectNumber);
        Assert.True(call.AnnouncementPlayedInFull);
        Assert.Equal(CallEnd.ProspectHungUp, call.EndReason);

        // The caller (prospect) hears the notice in its codec (PCMA, its first choice), then the agent.
        var notice = h.Notice.GetEncoded(AudioCodecInfo.Pcma);
        IReadOnlyList<ReceivedRtp> atCarrier = h.TrunkMedia.Received;
        Assert.True(notice.GetFrame(0).SequenceEqual(atCarrier[0].Payload));
        Assert.True(atCarrier.Count(p => p.PayloadType == 8) > notice.FrameCount + 25, h.Switch.Log);
    }

    private static async Task PressAfterNoticeAsync(CallHarness h, B2buaCall call)
    {
        // Wait for the parties to be connected: until then the agent's packets are not relayed.
        for (int i = 0; i < 200 && call.AnnouncementPlayedInFull is null; i++)
        {
            await Task.Delay(10);
        }

        await Task.Delay(100);
        h.AgentMedia.QueueTelephoneEvent(101, 5);
    }
}
