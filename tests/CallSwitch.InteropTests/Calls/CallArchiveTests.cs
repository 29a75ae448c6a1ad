using CallSwitch.Compliance.Rules;
using CallSwitch.Configuration;
using CallSwitch.Calls.Sessions;
using CallSwitch.Compliance.Storage;
using CallSwitch.Server.Hosting;

namespace CallSwitch.InteropTests.Calls;

/// <summary>A recorded call through the switch (SIPp agent and trunk) ends up in the metadata store: the call row, then its recording.</summary>
public class CallArchiveTests
{
    [Fact]
    public async Task AnEndedRecordedCallLeavesItsCallRowAndItsRecordingRowInTheStore()
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
        string data = Directory.CreateTempSubdirectory("cs-data-").FullName;
        try
        {
            await using (var h = CallHarness.Start(recording: rule, dataPath: data))
            {
                CallArchive archive = h.Switch.Host.Archive ?? throw new InvalidOperationException("no archive\n" + h.Switch.Log);
                Assert.True(File.Exists(Path.Combine(data, "metadata.db")));

                var (agent, trunk) = await h.RunAsync("trunk-answer", agentHangup: "agent-bye", trunkHangup: "trunk-wait-bye", talkMs: 2000);

                Assert.True(agent.ExitCode == 0, "agent: " + agent + "\n--- switch log ---\n" + h.Switch.Log);
                Assert.True(trunk.ExitCode == 0, "trunk: " + trunk + "\n--- switch log ---\n" + h.Switch.Log);
                B2buaCall call = h.LastCall ?? throw new InvalidOperationException("no call\n" + h.Switch.Log);
                await call.Completion.WaitAsync(TimeSpan.FromSeconds(5));
                await archive.FlushAsync().WaitAsync(TimeSpan.FromSeconds(10));
                var result = Assert.Single(call.Recording!.Results);

                CallRecord stored = await archive.Store.GetCallAsync(call.Id) ?? throw new InvalidOperationException("no call row\n" + h.Switch.Log);
                Assert.Equal(CallDirection.Outbound, stored.Direction);
                Assert.Equal("1001", stored.AgentId);
                Assert.Equal("spring", stored.CampaignId);
                Assert.Equal(CallHarness.Number, stored.ProspectNumber);
                Assert.Equal(call.StartedAt, stored.StartedAt, TimeSpan.FromMilliseconds(1));
                Assert.Equal(call.AnsweredAt!.Value, stored.AnsweredAt!.Value, TimeSpan.FromMilliseconds(1));
                Assert.NotNull(stored.EndedAt);
                Assert.Equal(call.EndReason.ToString(), stored.EndReason);
                Assert.True(stored.Recorded);
                Assert.Equal(h.Notice.Sha256, stored.Announcement?.FileSha256);

                RecordingMetadata recording = await archive.Store.GetRecordingAsync(Guid.Parse(result.RecordingId))
                    ?? throw new InvalidOperationException("no recording row\n" + h.Switch.Log);
                Assert.Equal(call.Id, recording.CallId);
                Assert.Equal(result.FilePath, recording.FilePath);
                Assert.Equal(result.KeyId, recording.KeyId);
                Assert.Equal("spring", recording.CampaignId);
                Assert.Equal("1001", recording.AgentId);
                Assert.Equal(CallHarness.Number, recording.ProspectNumber);
                Assert.Equal("spring:always", recording.RuleId);
                Assert.Equal(CallSwitch.Compliance.Storage.RecordingStatus.Complete, recording.Status);
                Assert.True((result.Duration - recording.Duration!.Value).Duration() < TimeSpan.FromMilliseconds(1), $"{result.Duration} vs {recording.Duration}");
                Assert.Equal(result.FileSize, recording.FileSize);
                Assert.Equal(result.CiphertextSha256, recording.CiphertextSha256);
                Assert.Equal(["training"], recording.Purposes);
                Assert.Equal(LegalBasis.LegitimateInterest, recording.LegalBasis);
                Assert.Equal(result.RetentionDeadline!.Value, recording.RetentionUntil, TimeSpan.FromMilliseconds(1));
                Assert.Equal(h.Notice.Sha256, recording.Announcement?.FileSha256);
                Assert.Equal(0, archive.Store.BackgroundWriteFailures);
                Assert.DoesNotContain("not stored", h.Switch.Log, StringComparison.Ordinal);
            }
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task AnAgentToAgentCallIsStoredWithoutAProspectNumber()
    {
        string data = Directory.CreateTempSubdirectory("cs-data-").FullName;
        try
        {
            await using (var h = CallHarness.Start(dataPath: data))
            {
                CallArchive archive = h.Switch.Host.Archive ?? throw new InvalidOperationException("no archive\n" + h.Switch.Log);
                var callee = new Dictionary<string, string>
                {
                    ["USER"] = "1002",
                    ["PASSWORD"] = "demo1002",
                    ["RTP_PORT"] = h.TrunkMedia.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["AGENT_PT"] = "0",
                    ["AGENT_CODEC"] = "PCMU",
                    ["EXPECT_IN_INVITE"] = "m=audio",
                };
                var caller = h.AgentValues(number: "1002", talkMs: 1000, hangup: "agent-bye");
                int calleePort = TestSupport.FreePorts.Next();
                await h.RegisterAgentAsync("1002", "demo1002", calleePort);

                var (callerResult, calleeResult) = await h.RunPairAsync("agent-answer", callee, calleePort, "agent-call", caller, null);

                Assert.True(callerResult.ExitCode == 0, "caller: " + callerResult + "\n--- callee ---\n" + calleeResult + "\n--- switch log ---\n" + h.Switch.Log);
                B2buaCall call = h.LastCall ?? throw new InvalidOperationException("no call\n" + h.Switch.Log);
                await call.Completion.WaitAsync(TimeSpan.FromSeconds(5));
                await archive.FlushAsync().WaitAsync(TimeSpan.FromSeconds(10));

                Assert.Equal("1002", call.Plan.ProspectNumber);
                CallRecord stored = await archive.Store.GetCallAsync(call.Id) ?? throw new InvalidOperationException("no call row\n" + h.Switch.Log);
                Assert.Null(stored.ProspectNumber);
                Assert.Equal("1001", stored.AgentId);
                Assert.Null(stored.CampaignId);
                Assert.False(stored.Recorded);
                Assert.Equal(0, archive.Store.BackgroundWriteFailures);
            }
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }
}
