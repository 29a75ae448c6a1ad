using CallSwitch.Calls.Sessions;
using CallSwitch.Compliance.Storage;
using CallSwitch.InteropTests.Calls;
using Microsoft.Playwright;

namespace CallSwitch.InteropTests.WebConsole;

/// <summary>
/// The live board in Chromium: a supervisor signs in, a call SIPp places through the switch
/// appears, its duration ticks, the supervisor listens live (the page's Web Audio analyser
/// measures the samples that arrive), and the call leaves the board when it ends; the listening
/// is audited with its duration.
/// </summary>
public sealed class LiveBoardBrowserTests
{
    [Fact]
    public async Task ASupervisorSeesALiveCallTickListensToItInTheBrowserAndSeesItLeave()
    {
        await using ConsoleHarness console = await ConsoleHarness.StartAsync();
        CallHarness calls = console.Calls;
        byte[][] tone = CallHarness.PcmuTone(440, 50);
        calls.AgentPayload = i => tone[i % tone.Length];

        IPage page = await console.SignInAsync("sup");
        Assert.EndsWith("/calls", page.Url, StringComparison.Ordinal);
        await page.WaitForSelectorAsync("#calls-empty:not([hidden])");
        await ConsoleHarness.ScreenshotAsync(page, "calls-empty");

        Task<(TestSupport.Peers.SippResult Agent, TestSupport.Peers.SippResult Trunk)> call =
            calls.RunAsync("trunk-answer", agentHangup: "agent-bye", trunkHangup: "trunk-wait-bye", talkMs: 9000);
        IElementHandle row = await page.WaitForSelectorAsync("#calls tr[data-phase='connected']", new() { Timeout = 20_000 })
            ?? throw new InvalidOperationException("no connected call on the board\n" + calls.Switch.Log);
        Assert.Contains("1001", await row.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("recording", await row.GetAttributeAsync("data-recording"));

        // The duration ticks on the page.
        int before = int.Parse(await page.GetAttributeAsync("#calls tr td.duration", "data-seconds") ?? "-1", System.Globalization.CultureInfo.InvariantCulture);
        await page.WaitForFunctionAsync(
            "s => Number(document.querySelector('#calls tr td.duration').dataset.seconds) >= s + 2", before, new() { Timeout = 5_000 });

        // Listen: samples arrive and play (the analyser's level is well above silence).
        await page.ClickAsync("#calls tr button.listen");
        await page.WaitForFunctionAsync("() => Number(document.getElementById('listen-level').dataset.peak) > 0.05", null, new() { Timeout = 10_000 });
        await ConsoleHarness.ScreenshotAsync(page, "calls-listening");
        await page.ClickAsync("#listen-stop");

        var (agent, trunk) = await call;
        Assert.True(agent.ExitCode == 0, "agent: " + agent + "\n" + calls.Switch.Log);
        Assert.True(trunk.ExitCode == 0, "trunk: " + trunk + "\n" + calls.Switch.Log);
        await page.WaitForSelectorAsync("#calls tr", new() { State = WaitForSelectorState.Detached, Timeout = 10_000 });
        Assert.True(await page.IsVisibleAsync("#calls-empty"));

        await console.Host.Archive!.FlushAsync();
        IReadOnlyList<AuditEntry> audit = await console.AuditOfAsync("sup");
        AuditEntry started = Assert.Single(audit, e => e.Event.Action == AuditAction.SupervisionStarted);
        AuditEntry ended = Assert.Single(audit, e => e.Event.Action == AuditAction.SupervisionEnded);
        Assert.Contains("via=console", started.Event.Detail, StringComparison.Ordinal);
        Assert.Matches(@"duration_ms=[1-9]\d*", ended.Event.Detail);
        Assert.Contains(audit, e => e.Event.Action == AuditAction.Login);
    }
}
