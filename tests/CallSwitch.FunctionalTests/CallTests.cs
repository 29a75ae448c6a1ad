using System.Net;
using CallSwitch.Calls.Recording;
using CallSwitch.Calls.Sessions;
using CallSwitch.Compliance.Rules;
using CallSwitch.Compliance.Storage;
using CallSwitch.Compliance.Storage.Sqlite;
using CallSwitch.Configuration;
using CallSwitch.Media.Codecs;
using CallSwitch.TestSupport.Media;

namespace CallSwitch.FunctionalTests;

/// <summary>
/// Whole calls through the whole switch, in process: an agent's softphone and the carrier on the
/// in-memory SIP network, their media on loopback RTP, the recording decrypted and decoded, the
/// store read back. No external peer, so each call takes a fraction of a second.
/// </summary>
[Collection(InProcessSwitch.Collection)]
public class CallTests
{
    internal const double AgentHz = 1000;
    internal const double ProspectHz = 600;

    internal static readonly RecordingRule Always = new()
    {
        CampaignId = "spring",
        Mode = RecordingMode.Always,
        Purposes = ["quality"],
        LegalBasis = LegalBasis.LegitimateInterest,
        RetentionDays = 30,
    };

    /// <summary>One 20 ms PCMU frame of the agent's tone (whole periods: the frame repeats without a click).</summary>
    internal static readonly byte[] AgentVoice = Tone(AgentHz);

    internal static readonly byte[] ProspectVoice = Tone(ProspectHz);

    [Fact]
    public async Task ARecordedOutboundCallRegistersRingsPlaysTheNoticeRelaysBothWaysAndStoresTheRecording()
    {
        await using InProcessSwitch sw = await InProcessSwitch.StartAsync(Always);
        await using var agent = new AgentPhone(sw, "1001", "demo1001");
        await using var carrier = new CarrierPhone(sw);
        var finished = new TaskCompletionSource<RecordingResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        sw.Host.Recordings!.Finished += r => finished.TrySetResult(r);

        var (registerChallenge, registered) = await agent.RegisterAsync();
        Assert.Equal((401, 200), (registerChallenge.StatusCode, registered.StatusCode));
        Assert.NotEmpty(sw.Host.Registrar.GetBindings("1001"));

        B2buaCall call = await ConnectAsync(sw, agent, carrier);
        await TalkAsync(agent, carrier, frames: 12);

        Assert.Equal(200, (await agent.HangUpAsync(InProcessSwitch.Number)).StatusCode);
        await carrier.AnswerByeAsync();
        await call.Completion.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(CallEnd.AgentHungUp, call.EndReason);

        // The prospect heard the notice first (frames that are not the agent's), then the agent.
        IReadOnlyList<ReceivedRtp> heard = carrier.Media.Received;
        int firstAgentFrame = heard.ToList().FindIndex(p => p.Payload.AsSpan().SequenceEqual(AgentVoice));
        Assert.True(firstAgentFrame >= (int)(InProcessSwitch.NoticeLength.TotalMilliseconds / 20) - 2, $"the agent's voice came after {firstAgentFrame} frame(s) of notice");

        // The recording: complete, decrypts, the agent on the left and the prospect on the right.
        RecordingResult result = await finished.Task.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(CallSwitch.Compliance.Storage.RecordingStatus.Complete, result.Status);
        RecordedStereo audio = RecordedStereo.Open(result.FilePath!, sw.Keys);
        Assert.Equal(2, audio.Channels);
        Assert.True(audio.Seconds >= 0.3, $"{audio.Seconds:F2} s recorded\n{sw.Log}");
        double from = audio.Seconds - 0.2;
        double to = audio.Seconds - 0.05;
        Assert.True(ToneMeter.Decibels(audio.TonePower(0, AgentHz, from, to), audio.TonePower(1, AgentHz, from, to)) >= 20, "the agent is not on the left only");
        Assert.True(ToneMeter.Decibels(audio.TonePower(1, ProspectHz, from, to), audio.TonePower(0, ProspectHz, from, to)) >= 20, "the prospect is not on the right only");

        // The metadata rows.
        CallRecord stored = await EndedCallAsync(sw, call.Id);
        Assert.Equal((CallDirection.Outbound, "1001", "spring", InProcessSwitch.Number, true, nameof(CallEnd.AgentHungUp)), (stored.Direction, stored.AgentId, stored.CampaignId, stored.ProspectNumber, stored.Recorded, stored.EndReason));
        RecordingMetadata row = (await sw.Host.Archive!.Store.GetRecordingAsync(Guid.Parse(result.RecordingId)))!;
        Assert.Equal((call.Id, CallSwitch.Compliance.Storage.RecordingStatus.Complete, result.FilePath, new FileInfo(result.FilePath!).Length), (row.CallId, row.Status, row.FilePath, row.FileSize!.Value));
        Assert.Equal((LegalBasis.LegitimateInterest, "quality"), (row.LegalBasis, Assert.Single(row.Purposes)));
    }

    [Fact]
    public async Task NoLogLineOfAWholeCallHasTheNumberInClearEvenAtTheVerboseLevel()
    {
        await using InProcessSwitch sw = await InProcessSwitch.StartAsync(Always, logging: new LoggingConfig { Level = CallSwitch.Configuration.LogLevel.Verbose });
        await using var agent = new AgentPhone(sw, "1001", "demo1001");
        await using var carrier = new CarrierPhone(sw);
        await agent.RegisterAsync();

        B2buaCall call = await ConnectAsync(sw, agent, carrier);
        await TalkAsync(agent, carrier, frames: 5);
        Assert.Equal(200, (await agent.HangUpAsync(InProcessSwitch.Number)).StatusCode);
        await carrier.AnswerByeAsync();
        await call.Completion.WaitAsync(TimeSpan.FromSeconds(5));
        await EndedCallAsync(sw, call.Id);

        string log = sw.Log;
        Assert.DoesNotContain("612345678", log, StringComparison.Ordinal);

        // The lines that name the number are there, masked: the INVITEs both ways and the call's start.
        Assert.Contains("INVITE sip:+*********78@", log, StringComparison.Ordinal);
        Assert.Contains("prospect +*********78", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnmaskingTheNumbersForDebuggingIsWarnedAtStart()
    {
        await using InProcessSwitch sw = await InProcessSwitch.StartAsync(Always, logging: new LoggingConfig { Level = CallSwitch.Configuration.LogLevel.Debug, UnmaskNumbers = true });
        await using var agent = new AgentPhone(sw, "1001", "demo1001");
        await using var carrier = new CarrierPhone(sw);

        B2buaCall call = await ConnectAsync(sw, agent, carrier);
        Assert.Equal(200, (await agent.HangUpAsync(InProcessSwitch.Number)).StatusCode);
        await carrier.AnswerByeAsync();
        await call.Completion.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Contains("WRN - logging.unmask_numbers is on: phone numbers are written in clear", sw.Log, StringComparison.Ordinal);
        Assert.Contains("prospect +33612345678", sw.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACallTheCampaignDoesNotRecordRelaysBothWaysAndLeavesNoRecording()
    {
        await using InProcessSwitch sw = await InProcessSwitch.StartAsync(recording: null);
        await using var agent = new AgentPhone(sw, "1001", "demo1001");
        await using var carrier = new CarrierPhone(sw);
        int recordings = 0;
        sw.Host.Recordings!.Started += _ => Interlocked.Increment(ref recordings);

        B2buaCall call = await ConnectAsync(sw, agent, carrier);
        await TalkAsync(agent, carrier, frames: 5);
        Assert.Equal(200, (await agent.HangUpAsync(InProcessSwitch.Number)).StatusCode);
        await carrier.AnswerByeAsync();
        await call.Completion.WaitAsync(TimeSpan.FromSeconds(5));

        CallRecord stored = await EndedCallAsync(sw, call.Id);
        Assert.False(stored.Recorded);
        Assert.Equal(0, recordings);
        Assert.Equal(CallSwitch.Calls.Recording.RecordingState.None, call.Recording?.State ?? CallSwitch.Calls.Recording.RecordingState.None);
        Assert.Empty(Directory.GetFiles(sw.Host.Recordings.Vault.SpoolDirectory, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task AByeFromTheProspectEndsTheCallOnTheAgentsSideToo()
    {
        await using InProcessSwitch sw = await InProcessSwitch.StartAsync(Always);
        await using var agent = new AgentPhone(sw, "1001", "demo1001");
        await using var carrier = new CarrierPhone(sw);

        B2buaCall call = await ConnectAsync(sw, agent, carrier);
        await TalkAsync(agent, carrier, frames: 5);
        Assert.Equal(200, (await carrier.HangUpAsync()).StatusCode);
        CallSwitch.Sip.Messages.SipRequest bye = await agent.AnswerByeAsync();
        await call.Completion.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(CallEnd.ProspectHungUp, call.EndReason);
        Assert.Contains(agent.Sip.EndPoint.ToString(), bye.RequestUri, StringComparison.Ordinal);
        Assert.Equal(nameof(CallEnd.ProspectHungUp), (await EndedCallAsync(sw, call.Id)).EndReason);
        Assert.Empty(sw.Host.Calls.Calls);
    }

    [Fact]
    public async Task ACarriersAnswerSentAgainIsAckedAgainAndAnotherBranchsAnswerIsAckedAndEndedWhileTheCallGoesOn()
    {
        await using InProcessSwitch sw = await InProcessSwitch.StartAsync(recording: null);
        await using var agent = new AgentPhone(sw, "1001", "demo1001");
        await using var carrier = new CarrierPhone(sw);
        B2buaCall call = await ConnectAsync(sw, agent, carrier);
        uint inviteSequence = carrier.Invite.CSeq!.Value.Number;

        // Our ACK was lost: the carrier resends its 200 and must get the ACK again (RFC 3261 §13.2.2.4).
        CallSwitch.Sip.Messages.SipRequest again = await carrier.AnswerAgainAsync();
        Assert.Equal((inviteSequence, "ACK", "carrier1"), (again.CSeq!.Value.Number, again.CSeq.Value.Method, again.To?.Tag));
        Assert.Equal(carrier.Ack!.TopVia!.Branch, again.TopVia!.Branch); // the same ACK, which the carrier can absorb as such

        // A second branch answers too: ACKed, then ended with a BYE in its own dialog.
        CallSwitch.Sip.Messages.SipRequest forkAck = await carrier.AnswerAgainAsync("carrier2");
        Assert.Equal((inviteSequence, "carrier2"), (forkAck.CSeq!.Value.Number, forkAck.To?.Tag));
        var (forkBye, from) = await carrier.Sip.RequestAsync("BYE");
        Assert.Equal(("carrier2", carrier.Invite.CallId), (forkBye.To?.Tag, forkBye.CallId));
        await carrier.Sip.RespondAsync(forkBye, from, 200);

        // The call keeps the first answer.
        await TalkAsync(agent, carrier, frames: 5);
        Assert.Same(call, Assert.Single(sw.Host.Calls.Calls));
        Assert.Equal(200, (await agent.HangUpAsync(InProcessSwitch.Number)).StatusCode);
        Assert.Equal("carrier1", (await carrier.AnswerByeAsync()).To?.Tag);
        await call.Completion.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(CallEnd.AgentHungUp, call.EndReason);
    }

    [Fact]
    public async Task StoppingTheSwitchEndsTheLiveCallWithByesToBothSidesThenClosesTheStoreWithItsRows()
    {
        await using InProcessSwitch sw = await InProcessSwitch.StartAsync(Always);
        await using var agent = new AgentPhone(sw, "1001", "demo1001");
        await using var carrier = new CarrierPhone(sw);
        var finished = new TaskCompletionSource<RecordingResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        sw.Host.Recordings!.Finished += r => finished.TrySetResult(r);
        B2buaCall call = await ConnectAsync(sw, agent, carrier);
        await TalkAsync(agent, carrier, frames: 5);
        Task<CallSwitch.Sip.Messages.SipRequest> agentBye = agent.AnswerByeAsync();
        Task<CallSwitch.Sip.Messages.SipRequest> carrierBye = carrier.AnswerByeAsync();

        await sw.Host.StopAsync();

        // Stopped in order: the call ended (a BYE each way) before the store was flushed and closed.
        await Task.WhenAll(agentBye, carrierBye);
        Assert.True(call.Completion.IsCompleted);
        Assert.Equal(CallEnd.ShutDown, call.EndReason);
        RecordingResult result = await finished.Task.WaitAsync(TimeSpan.FromSeconds(5));
        await using var store = SqliteMetadataStore.Open(new SqliteMetadataStoreOptions { DataDirectory = sw.DataPath });
        CallRecord stored = (await store.GetCallAsync(call.Id))!;
        Assert.Equal((nameof(CallEnd.ShutDown), true), (stored.EndReason, stored.Recorded));
        Assert.NotNull(stored.EndedAt);
        Assert.Equal(CallSwitch.Compliance.Storage.RecordingStatus.Complete, (await store.GetRecordingAsync(Guid.Parse(result.RecordingId)))!.Status);
    }

    [Fact]
    public async Task AWrongPasswordIsChallengedAgainAndReachesNoTrunk()
    {
        await using InProcessSwitch sw = await InProcessSwitch.StartAsync(Always);
        await using var agent = new AgentPhone(sw, "1001", "not-the-password");
        await using var carrier = new CarrierPhone(sw);

        var (_, registered) = await agent.RegisterAsync();
        var (challenge, answered) = await agent.CallAsync(InProcessSwitch.Number);

        Assert.Equal(401, registered.StatusCode);
        Assert.Empty(sw.Host.Registrar.GetBindings("1001"));
        Assert.Equal((407, 407), (challenge.StatusCode, answered.StatusCode));
        Assert.Empty(carrier.Sip.Received);
        Assert.Empty(sw.Host.Calls.Calls);
    }

    /// <summary>The agent calls the number, the carrier answers; returns the live call once both legs have media.</summary>
    internal static async Task<B2buaCall> ConnectAsync(InProcessSwitch sw, AgentPhone agent, CarrierPhone carrier)
    {
        Task answering = carrier.AnswerAsync();
        var (challenge, answered) = await agent.CallAsync(InProcessSwitch.Number);
        await answering;
        Assert.Equal((407, 200), (challenge.StatusCode, answered.StatusCode));
        Assert.Contains(InProcessSwitch.Number, carrier.Invite.RequestUri, StringComparison.Ordinal);
        return Assert.Single(sw.Host.Calls.Calls);
    }

    /// <summary>Both parties send their tone until each has heard <paramref name="frames"/> of the other's.</summary>
    internal static async Task TalkAsync(AgentPhone agent, CarrierPhone carrier, int frames)
    {
        agent.Media.StartSending(new IPEndPoint(IPAddress.Loopback, agent.RelayPort), 0, _ => AgentVoice);
        carrier.Media.StartSending(new IPEndPoint(IPAddress.Loopback, carrier.RelayPort), 0, _ => ProspectVoice, ssrc: 0x7777);
        await Until(
            () => Count(agent.Media, ProspectVoice) >= frames && Count(carrier.Media, AgentVoice) >= frames,
            () => $"the agent heard {Count(agent.Media, ProspectVoice)} prospect frame(s), the prospect {Count(carrier.Media, AgentVoice)} agent frame(s)");
    }

    private static int Count(RtpPeer peer, byte[] payload) => peer.Received.Count(p => p.Payload.AsSpan().SequenceEqual(payload));

    /// <summary>The call's row once its end is committed.</summary>
    internal static async Task<CallRecord> EndedCallAsync(InProcessSwitch sw, string callId)
    {
        CallRecord? row = null;
        await Until(
            async () =>
            {
                await sw.Host.Archive!.FlushAsync();
                row = await sw.Host.Archive.Store.GetCallAsync(callId);
                return row?.EndedAt is not null;
            },
            () => $"call {callId} has no ended row\n{sw.Log}");
        return row!;
    }

    private static Task Until(Func<bool> condition, Func<string> failure) => Until(() => Task.FromResult(condition()), failure);

    /// <summary>Polls <paramref name="condition"/> every 10 ms; fails with <paramref name="failure"/> after 5 s (a bound for a broken switch, not a measure).</summary>
    private static async Task Until(Func<Task<bool>> condition, Func<string> failure)
    {
        for (int i = 0; i < 500; i++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(10);
        }

        Assert.Fail(failure());
    }

    private static byte[] Tone(double hz)
    {
        var pcm = new short[160];
        for (int i = 0; i < pcm.Length; i++)
        {
            pcm[i] = (short)Math.Round(8000 * Math.Sin(2 * Math.PI * hz * i / 8000));
        }

        var frame = new byte[160];
        CodecRegistry.Default.CreateEncoder(AudioCodecInfo.Pcmu).Encode(pcm, frame);
        return frame;
    }
}
