using CallSwitch.Calls.Sessions;
using CallSwitch.TestSupport.Peers;

namespace CallSwitch.InteropTests.Calls;

/// <summary>Calls that do not end in conversation: cancelled, refused by the far end, silent.</summary>
public class CallFailureTests
{
    [Fact]
    public async Task AgentCancelsWhileProspectRings()
    {
        await using var h = CallHarness.Start();

        var (agent, trunk) = await h.RunAsync("trunk-ring-cancel", null, null, talkMs: 0, agentScenario: "agent-cancel", startMedia: false);

        Assert.True(agent.ExitCode == 0, "agent: " + agent + "\n--- switch log ---\n" + h.Switch.Log);
        Assert.True(trunk.ExitCode == 0, "trunk: " + trunk + "\n--- switch log ---\n" + h.Switch.Log);
        await WaitForNoCallsAsync(h);
        Assert.Contains("The caller cancelled", h.Switch.Log, StringComparison.Ordinal);
        Assert.Contains("Cancelled", h.Switch.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BusyTrunkIsReportedAsBusyToTheAgent()
    {
        await using var h = CallHarness.Start();

        var (agent, trunk) = await h.RunAsync("trunk-busy", null, null, talkMs: 0, agentScenario: "agent-rejected", startMedia: false, final: "486");

        Assert.True(agent.ExitCode == 0, "agent: " + agent + "\n--- switch log ---\n" + h.Switch.Log);
        Assert.True(trunk.ExitCode == 0, "trunk: " + trunk + "\n--- switch log ---\n" + h.Switch.Log);
        await WaitForNoCallsAsync(h);
        Assert.Equal(0, h.Switch.Host.Calls.ChannelsInUse("carrier"));
    }

    [Fact]
    public async Task ProspectHangsUpFirst()
    {
        await using var h = CallHarness.Start();

        var (agent, trunk) = await h.RunAsync("trunk-answer", "agent-wait-bye", "trunk-bye", talkMs: 1500);

        Assert.True(agent.ExitCode == 0, "agent: " + agent + "\n--- switch log ---\n" + h.Switch.Log);
        Assert.True(trunk.ExitCode == 0, "trunk: " + trunk + "\n--- switch log ---\n" + h.Switch.Log);
        B2buaCall call = h.LastCall!;
        await call.Completion.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(CallEnd.ProspectHungUp, call.EndReason);
    }

    [Fact]
    public async Task CallWithoutRtpIsEndedOnBothSides()
    {
        await using var h = CallHarness.Start(rtpTimeout: TimeSpan.FromSeconds(2));

        var (agent, trunk) = await h.RunAsync("trunk-answer", "agent-wait-bye", "trunk-wait-bye", talkMs: 0, startMedia: false);

        Assert.True(agent.ExitCode == 0, "agent: " + agent + "\n--- switch log ---\n" + h.Switch.Log);
        Assert.True(trunk.ExitCode == 0, "trunk: " + trunk + "\n--- switch log ---\n" + h.Switch.Log);
        Assert.Equal(CallEnd.RtpTimeout, h.LastCall!.EndReason);
        Assert.Contains("No RTP from either party", h.Switch.Log, StringComparison.Ordinal);
    }

    private static async Task WaitForNoCallsAsync(CallHarness h)
    {
        for (int i = 0; i < 200 && h.Switch.Host.Calls.Count > 0; i++)
        {
            await Task.Delay(25);
        }

        Assert.Equal(0, h.Switch.Host.Calls.Count);
    }
}
