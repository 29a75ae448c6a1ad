using CallSwitch.Calls.Recording;
using CallSwitch.Calls.Sessions;
using CallSwitch.Compliance.Access;
using CallSwitch.Compliance.Storage;
using CallSwitch.Configuration;
using CallSwitch.Server.Extracts;
using CallSwitch.TestSupport.Media;
using Microsoft.Extensions.DependencyInjection;

namespace CallSwitch.FunctionalTests;

/// <summary>
/// The running switch's extract service (what the web console calls) on a call the switch itself
/// recorded: the extract holds the agent's tone and not the prospect's, although the recording
/// holds both; it is refused to a role the campaign does not allow, and both are audited.
/// </summary>
[Collection(InProcessSwitch.Collection)]
public class TrainingExtractTests
{
    [Fact]
    public async Task TheSwitchsOwnRecordingIsExtractedToTheAgentsChannelAlone()
    {
        await using InProcessSwitch sw = await InProcessSwitch.StartAsync(CallTests.Always);
        CampaignConfig demo = sw.Host.Config.Campaigns[0];
        sw.Host.Apply(sw.Host.Config with
        {
            Campaigns = [demo with { Id = "spring", Recording = CallTests.Always, Access = CampaignAccess.FromRule(CallTests.Always) with { ExtractRetentionDays = 7, ExtractRoles = new HashSet<Role> { Role.Quality } } }],
        });
        var finished = new TaskCompletionSource<RecordingResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        sw.Host.Recordings!.Finished += r => finished.TrySetResult(r);

        await using (var agent = new AgentPhone(sw, "1001", "demo1001"))
        await using (var carrier = new CarrierPhone(sw))
        {
            B2buaCall call = await CallTests.ConnectAsync(sw, agent, carrier);
            await CallTests.TalkAsync(agent, carrier, frames: 20);
            Assert.Equal(200, (await agent.HangUpAsync(InProcessSwitch.Number)).StatusCode);
            await carrier.AnswerByeAsync();
            await call.Completion.WaitAsync(TimeSpan.FromSeconds(5));
        }

        RecordingResult result = await finished.Task.WaitAsync(TimeSpan.FromSeconds(5));
        await sw.Host.Archive!.FlushAsync();
        TrainingExtracts extracts = sw.Host.Services.GetRequiredService<TrainingExtracts>();
        var trainer = new Principal("trainer", null, [new RoleGrant(Role.Quality, AccessScope.All)]);
        var manager = new Principal("boss", null, [new RoleGrant(Role.Manager, AccessScope.All)]);

        AccessDeniedException refused = await Assert.ThrowsAsync<AccessDeniedException>(() => extracts.MakeAsync(manager, Guid.Parse(result.RecordingId), new AccessPurpose("quality")));
        Assert.Equal("campaign spring does not let a manager make training extracts", refused.Message);
        TrainingExtract extract = (await extracts.MakeAsync(trainer, Guid.Parse(result.RecordingId), new AccessPurpose("quality")))!;
        Assert.Equal(("spring", "1001", TimeSpan.FromDays(7)), (extract.CampaignId, extract.AgentId, extract.RetentionUntil - extract.CreatedAt));

        // The recording holds both parties; the extract, one channel with the agent alone.
        RecordedStereo recording = RecordedStereo.Open(result.FilePath!, sw.Keys);
        RecordedStereo audio = RecordedStereo.Open(extract.FilePath, sw.Keys);
        Assert.Equal((2, 1), (recording.Channels, audio.Channels));
        double from = recording.Seconds - 0.3;
        double to = recording.Seconds - 0.05;
        Assert.True(ToneMeter.Decibels(recording.TonePower(1, CallTests.ProspectHz, from, to), recording.TonePower(0, CallTests.ProspectHz, from, to)) >= 20, "the recording has no prospect on the right");
        double agentHeard = audio.TonePower(0, CallTests.AgentHz, from, to);
        double prospectHeard = audio.TonePower(0, CallTests.ProspectHz, from, to);
        // The recording keeps the parties >= 20 dB apart on each channel; the extract, made of the left alone, the same.
        Assert.True(ToneMeter.Decibels(agentHeard, prospectHeard) >= 20, $"the prospect is in the extract: {ToneMeter.Decibels(prospectHeard, agentHeard):F1} dB under the agent");
        Assert.True(ToneMeter.Decibels(recording.TonePower(1, CallTests.ProspectHz, from, to), prospectHeard) >= 20, "the extract has the prospect's channel's level of the prospect");

        IReadOnlyList<AuditEntry> audit = await sw.Host.Archive.Store.ReadAuditAsync(0, 100);
        Assert.Contains(audit, e => e.Event is { Action: AuditAction.Extract, Actor: "trainer" });
        Assert.Contains(audit, e => e.Event is { Action: AuditAction.AccessDenied, Actor: "boss" });
    }
}
