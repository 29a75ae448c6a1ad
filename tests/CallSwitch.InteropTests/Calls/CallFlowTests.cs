using System.Text.RegularExpressions;
using CallSwitch.Calls.Sessions;
using CallSwitch.Media.Codecs;
using CallSwitch.TestSupport.Media;
using CallSwitch.TestSupport.Peers;

namespace CallSwitch.InteropTests.Calls;

/// <summary>
/// Whole calls through the switch with real peers: SIPp as the agent's softphone (digest
/// challenged) and SIPp as the carrier trunk, the test's own sockets as both sides' RTP.
/// </summary>
public class CallFlowTests
{
    [Fact]
    public async Task AgentCallsProspectHearsNoticeThenAgentAndBothTalk()
    {
        await using var h = CallHarness.Start();

        var (agent, trunk) = await h.RunAsync("trunk-answer", agentHangup: "agent-bye", trunkHangup: "trunk-wait-bye", talkMs: 4000);

        Assert.True(agent.ExitCode == 0, "agent: " + agent + "\n--- switch log ---\n" + h.Switch.Log);
        Assert.True(trunk.ExitCode == 0, "trunk: " + trunk + "\n--- switch log ---\n" + h.Switch.Log);
        B2buaCall call = h.LastCall ?? throw new InvalidOperationException("the call never reached the media stage\n" + h.Switch.Log);
        await call.Completion.WaitAsync(TimeSpan.FromSeconds(5));

        // The carrier (prospect side) first hears the whole notice, frame for frame …
        IReadOnlyList<ReceivedRtp> atTrunk = h.TrunkMedia.Received;
        var notice = h.Notice.GetEncoded(AudioCodecInfo.Pcmu);
        Assert.True(atTrunk.Count > notice.FrameCount, $"the trunk received {atTrunk.Count} packets\n{h.Switch.Log}");
        for (int i = 0; i < notice.FrameCount; i++)
        {
            Assert.True(notice.GetFrame(i).SequenceEqual(atTrunk[i].Payload), $"packet {i} at the trunk is not notice frame {i}");
        }

        // … then the agent's voice, and nothing of the agent before the notice ended.
        int agentPackets = atTrunk.Skip(notice.FrameCount).Count(p => p.Payload.AsSpan().SequenceEqual(CallHarness.AgentVoice));
        Assert.True(agentPackets >= 25, $"only {agentPackets} packets of the agent's voice reached the trunk");
        Assert.DoesNotContain(atTrunk.Take(notice.FrameCount), p => p.Payload.AsSpan().SequenceEqual(CallHarness.AgentVoice));

        // One continuous stream for the prospect across the switch from notice to agent (RFC 3550).
        Assert.Single(atTrunk.Select(p => p.Ssrc).Distinct());
        for (int i = 1; i < atTrunk.Count; i++)
        {
            Assert.Equal((ushort)(atTrunk[i - 1].Sequence + 1), atTrunk[i].Sequence);

            // Within one source a packet is 20 ms (160 units) after the last; where the agent
            // takes over from the notice, the timestamp advances by the time that really passed
            // (RFC 3550 §5.1), which may be less than a packet but never backwards or a leap.
            uint step = atTrunk[i].Timestamp - atTrunk[i - 1].Timestamp;
            bool handover = i == notice.FrameCount;
            Assert.True(handover ? step is > 0 and < 8000 : step is >= 160 and < 8000, $"timestamp step {step} at packet {i}");
        }

        // The agent hears the prospect, not the notice (this campaign does not play it to agents).
        IReadOnlyList<ReceivedRtp> atAgent = h.AgentMedia.Received;
        int prospectPackets = atAgent.Count(p => p.Payload.AsSpan().SequenceEqual(CallHarness.ProspectVoice));
        Assert.True(prospectPackets >= 25, $"only {prospectPackets} packets of the prospect's voice reached the agent");
        Assert.DoesNotContain(atAgent, p => notice.GetFrame(10).SequenceEqual(p.Payload));

        Assert.Equal(CallEnd.AgentHungUp, call.EndReason);
        Assert.True(call.AnnouncementPlayedInFull);
        // Every line about the call carries its id: set-up, answer, notice, hang-up, end.
        string[] lines = h.Switch.Log.Split('\n').Where(l => l.Contains(" " + call.Id + " ", StringComparison.Ordinal)).ToArray();
        Assert.Contains(lines, l => l.Contains("Call from", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("Notice played in full", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("Call ended", StringComparison.Ordinal) && l.Contains("AgentHungUp", StringComparison.Ordinal));
        Assert.Equal(0, h.Switch.Host.Calls.Count);
    }

    [Fact]
    public async Task ASecondCallThroughTheTrunkAfterTheFirstEndedGoesThrough()
    {
        // Once its only call ended the trunk's channel count was back at 0, and taking a
        // channel from 0 spun forever: every later trunk call hung after 100 Trying.
        await using var h = CallHarness.Start(maxChannels: 1);

        foreach (int round in new[] { 1, 2 })
        {
            var (agent, trunk) = await h.RunAsync("trunk-answer", agentHangup: "agent-bye", trunkHangup: "trunk-wait-bye", talkMs: 1500);

            Assert.True(agent.ExitCode == 0, $"call {round}, agent: {agent}\n--- switch log ---\n{h.Switch.Log}");
            Assert.True(trunk.ExitCode == 0, $"call {round}, trunk: {trunk}\n--- switch log ---\n{h.Switch.Log}");
            B2buaCall call = h.LastCall ?? throw new InvalidOperationException("no call\n" + h.Switch.Log);
            await call.Completion.WaitAsync(TimeSpan.FromSeconds(5));
            Assert.Equal(CallEnd.AgentHungUp, call.EndReason);
            Assert.Equal(0, h.Switch.Host.Calls.ChannelsInUse("carrier"));
        }
    }

    [Fact]
    public async Task ACarrierThatResendsItsAnswerGetsAnAckForEachAndTheCallGoesOn()
    {
        // SIPp as the carrier resends its 200 twice after the ACK, as a carrier does when our ACK
        // is lost (loopback drops datagrams under load: the load harness lost 90 calls of 27,000
        // that way before the switch ACKed every 2xx, RFC 3261 13.2.2.4).
        await using var h = CallHarness.Start();
        var (agent, trunk) = await h.RunAsync("trunk-answer", agentHangup: "agent-bye", trunkHangup: "trunk-answer-again", talkMs: 1500);

        Assert.True(trunk.ExitCode == 0, "trunk (an ACK per 200): " + trunk + "\n--- switch log ---\n" + h.Switch.Log);
        Assert.True(agent.ExitCode == 0, "agent: " + agent + "\n--- switch log ---\n" + h.Switch.Log);

        // An ACK reached the carrier for every 200 it sent (at least three: its answer and the two
        // resends; more when SIPp resent one more by itself, on a slow machine), the same ACK
        // each time (its branch kept), which a carrier can absorb as a retransmission.
        var trace = SippTrace.Parse(trunk.Messages);
        int answers = trace.Count(m => m.Sent && m.Text.StartsWith("SIP/2.0 200", StringComparison.Ordinal) && Regex.IsMatch(m.Text, @"^CSeq:\s*\d+\s+INVITE\s*$", RegexOptions.Multiline));
        string[] acks = trace.Where(m => !m.Sent && m.Text.StartsWith("ACK ", StringComparison.Ordinal))
            .Select(m => Regex.Match(m.Text, @"^Via:[^\r\n]*branch=([^;\s]+)", RegexOptions.Multiline).Groups[1].Value).ToArray();
        Assert.True(answers >= 3 && acks.Length == answers, $"{answers} 200(s) sent by the carrier, {acks.Length} ACK(s) received\n" + trunk.Messages);
        Assert.Single(acks.Distinct());
        B2buaCall call = h.LastCall ?? throw new InvalidOperationException("no call\n" + h.Switch.Log);
        await call.Completion.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(CallEnd.AgentHungUp, call.EndReason);
    }

    [Fact]
    public async Task ACallIsOverOnceItsByesAreSentEvenIfThePeerNeverAnswers()
    {
        await using var h = CallHarness.Start(maxChannels: 1);
        var ended = new TaskCompletionSource<DateTimeOffset>(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Switch.Host.Calls.Ended += _ => ended.TrySetResult(DateTimeOffset.UtcNow);

        var (agent, trunk) = await h.RunAsync("trunk-answer", agentHangup: "agent-bye", trunkHangup: "trunk-ignore-bye", talkMs: 1500);
        DateTimeOffset hungUp = DateTimeOffset.UtcNow;

        Assert.True(agent.ExitCode == 0, "agent: " + agent + "\n--- switch log ---\n" + h.Switch.Log);
        Assert.True(trunk.ExitCode == 0, "trunk: " + trunk + "\n--- switch log ---\n" + h.Switch.Log);
        B2buaCall call = h.LastCall ?? throw new InvalidOperationException("no call\n" + h.Switch.Log);

        // Media, the trunk's channel and the call's row are given back at once, not after the
        // BYE's 32 s timeout; the dialog itself (Completion) still waits for the carrier.
        DateTimeOffset at = await ended.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(at - hungUp < TimeSpan.FromSeconds(5), $"the call ended {(at - hungUp).TotalSeconds:F1} s after the agent's BYE");
        Assert.Equal(0, h.Switch.Host.Calls.Count);
        Assert.Equal(0, h.Switch.Host.Calls.ChannelsInUse("carrier"));
        Assert.Equal(CallEnd.AgentHungUp, call.EndReason);
        Assert.False(call.Completion.IsCompleted, "the BYE to the carrier cannot have been answered");
    }
}
