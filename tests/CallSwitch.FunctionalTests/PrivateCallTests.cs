using CallSwitch.Calls.Sessions;
using CallSwitch.Calls.Supervision;
using CallSwitch.Compliance.Storage;
using CallSwitch.Media.Codecs;
using CallSwitch.Media.Mixing;
using CallSwitch.Media.Relay;
using Microsoft.Extensions.DependencyInjection;

namespace CallSwitch.FunctionalTests;

/// <summary>
/// A private call (the agent's private-call prefix before the number) through the whole switch,
/// in a campaign that records every call: the carrier gets the number without the prefix, the
/// parties hear each other at once (no notice), nothing is recorded, a supervisor finds no call
/// to join, the call row holds no number and no campaign, and the log never shows the number.
/// The same agent's ordinary call right after is recorded and can be supervised: what the private
/// call lacked was the prefix's doing.
/// </summary>
[Collection(InProcessSwitch.Collection)]
public class PrivateCallTests
{
    private const string Prefix = "*70";

    [Fact]
    public async Task APrivateCallIsRelayedButNeverRecordedNorSupervisedAndStoredWithoutTheNumber()
    {
        await using InProcessSwitch sw = await InProcessSwitch.StartAsync(CallTests.Always, new Dictionary<string, string> { ["1001"] = Prefix });
        int recordings = 0;
        sw.Host.Recordings!.Started += _ => Interlocked.Increment(ref recordings);
        MediaRelay relay = sw.Host.Services.GetRequiredService<MediaRelay>();

        B2buaCall call;
        await using (var agent = new AgentPhone(sw, "1001", "demo1001"))
        await using (var carrier = new CarrierPhone(sw))
        {
            Task answering = carrier.AnswerAsync();
            var (challenge, answered) = await agent.CallAsync(Prefix + InProcessSwitch.Number);
            await answering;
            Assert.Equal((407, 200), (challenge.StatusCode, answered.StatusCode));
            Assert.StartsWith($"sip:{InProcessSwitch.Number}@", carrier.Invite.RequestUri, StringComparison.Ordinal);
            call = Assert.Single(sw.Host.Calls.Calls);
            Assert.True(call.Plan.Private);

            await CallTests.TalkAsync(agent, carrier, frames: 5);

            // No notice: the agent's very first frames reach the prospect.
            int firstAgentFrame = carrier.Media.Received.ToList().FindIndex(p => p.Payload.AsSpan().SequenceEqual(CallTests.AgentVoice));
            Assert.InRange(firstAgentFrame, 0, 1);

            using RelayEndpoint listener = relay.CreateEndpoint();
            SupervisionJoin join = sw.Host.Control.JoinSupervisor(new SupervisorRequest("1003", "1001", SupervisionMode.Listen, new MixFormat(AudioCodecInfo.Pcmu, 0), listener));
            Assert.Equal(SupervisionJoinOutcome.AgentNotInCall, join.Outcome);

            Assert.Equal(200, (await agent.HangUpAsync(Prefix + InProcessSwitch.Number)).StatusCode);
            await carrier.AnswerByeAsync();
            await call.Completion.WaitAsync(TimeSpan.FromSeconds(5));
        }

        CallRecord stored = await CallTests.EndedCallAsync(sw, call.Id);
        Assert.Equal((true, null, null, false, null), (stored.Private, stored.ProspectNumber, stored.CampaignId, stored.Recorded, stored.Announcement));
        Assert.Equal(0, recordings);
        Assert.Empty(Directory.GetFiles(sw.Host.Recordings.Vault.SpoolDirectory, "*", SearchOption.AllDirectories));
        Assert.DoesNotContain(InProcessSwitch.Number[3..], sw.Log, StringComparison.Ordinal);

        // The control: the same agent's ordinary call is recorded and a supervisor joins it.
        await using (var agent = new AgentPhone(sw, "1001", "demo1001"))
        await using (var carrier = new CarrierPhone(sw))
        {
            Task answering = carrier.AnswerAsync();
            Assert.Equal(200, (await agent.CallAsync(InProcessSwitch.Number)).Final.StatusCode);
            await answering;
            B2buaCall ordinary = Assert.Single(sw.Host.Calls.Calls);
            await CallTests.TalkAsync(agent, carrier, frames: 5);

            using RelayEndpoint listener = relay.CreateEndpoint();
            SupervisionJoin join = sw.Host.Control.JoinSupervisor(new SupervisorRequest("1003", "1001", SupervisionMode.Listen, new MixFormat(AudioCodecInfo.Pcmu, 0), listener));
            Assert.Equal(SupervisionJoinOutcome.Joined, join.Outcome);
            join.Session!.Leave();
            Assert.Equal(1, recordings);

            Assert.Equal(200, (await agent.HangUpAsync(InProcessSwitch.Number)).StatusCode);
            await carrier.AnswerByeAsync();
            await ordinary.Completion.WaitAsync(TimeSpan.FromSeconds(5));
            CallRecord row = await CallTests.EndedCallAsync(sw, ordinary.Id);
            Assert.Equal((false, InProcessSwitch.Number, "spring"), (row.Private, row.ProspectNumber, row.CampaignId));
        }
    }
}
