using System.Buffers.Binary;
using System.Text;
using CallSwitch.Compliance.Storage;
using Microsoft.Playwright;

namespace CallSwitch.InteropTests.WebConsole;

/// <summary>
/// Training extracts from the player in Chromium, after a call SIPp placed through the switch was
/// recorded: the team's supervisor (who may not hear the full recording: the campaign gives
/// supervisors extracts only) makes an anonymised extract for a purpose and downloads it: one
/// channel, no number in its tags; both steps audited. A supervisor of another team is refused
/// (403, audited) and no extract is made for them.
/// </summary>
public sealed class ExtractBrowserTests
{
    [Fact]
    public async Task ASupervisorMakesAndDownloadsAnExtractAndAnotherTeamsSupervisorIsRefused()
    {
        await using ConsoleHarness console = await ConsoleHarness.StartAsync();
        RecordingMetadata recording = await console.RecordOneCallAsync(talkMs: 2000);

        IPage sup = await console.SignInAsync("sup");
        await sup.GotoAsync($"/recordings/{recording.Id}");
        await sup.WaitForSelectorAsync("#extract-form:not([hidden])");
        Assert.True(await sup.IsHiddenAsync("#purpose-form"), "a supervisor may not hear the full recording of this campaign");
        await sup.SelectOptionAsync("#extract-purpose", "training");
        await sup.ClickAsync("#extract");
        await sup.WaitForSelectorAsync("#extract-result:not([hidden]), #player-error:not([hidden])");
        Assert.True(await sup.IsHiddenAsync("#player-error"), "refused: " + await sup.InnerTextAsync("#player-error") + "\n" + console.Calls.Switch.Log);
        await ConsoleHarness.ScreenshotAsync(sup, "player-extract");

        IDownload download = await sup.RunAndWaitForDownloadAsync(() => sup.ClickAsync("#extract-download"));
        string file = Path.Combine(Path.GetTempPath(), "cs-extract-" + Guid.NewGuid().ToString("N") + ".ogg");
        byte[] ogg;
        try
        {
            await download.SaveAsAsync(file);
            ogg = await File.ReadAllBytesAsync(file);
        }
        finally
        {
            File.Delete(file);
        }

        // RFC 7845 §5.1: OpusHead, version 1, then the channel count: the agent's alone.
        Assert.Equal("OggS", Encoding.ASCII.GetString(ogg, 0, 4));
        int head = ogg.AsSpan().IndexOf("OpusHead"u8);
        Assert.True(head > 0, "no OpusHead");
        Assert.Equal(1, ogg[head + 9]);
        Assert.True(BinaryPrimitives.ReadUInt32LittleEndian(ogg.AsSpan(head + 12)) > 0, "an input sample rate");
        Assert.Equal(-1, ogg.AsSpan().IndexOf("612345678"u8));
        Assert.Equal(-1, ogg.AsSpan().IndexOf(Encoding.ASCII.GetBytes(recording.CallId)));

        TrainingExtract extract = Assert.Single(await console.Store.ListExtractsAsync());
        Assert.Equal("sup", extract.CreatedBy);
        Assert.Equal(recording.AgentId, extract.AgentId);
        Assert.Equal(extract.Id.ToString("N"), await sup.GetAttributeAsync("#extract-download", "data-id") is { } shown ? Guid.Parse(shown).ToString("N") : null);

        // Another team's supervisor: refused, audited, nothing made.
        IPage lyon = await console.SignInAsync("sup-lyon");
        await lyon.GotoAsync($"/recordings/{recording.Id}");
        string token = await lyon.GetAttributeAsync("meta[name='csrf']", "content") ?? string.Empty;
        IAPIResponse refused = await lyon.Context.APIRequest.PostAsync($"/api/recordings/{recording.Id}/extract", new()
        {
            DataObject = new { purpose = "training" },
            Headers = new Dictionary<string, string> { ["X-CSRF-Token"] = token },
        });
        Assert.Equal(403, refused.Status);
        Assert.Single(await console.Store.ListExtractsAsync());

        await console.Host.Archive!.FlushAsync();
        IReadOnlyList<AuditEntry> made = await console.AuditOfAsync("sup");
        Assert.Contains(made, e => e.Event.Action == AuditAction.Extract && e.Event.RecordingId == recording.Id && e.Event.Purpose == "training");
        Assert.Contains(made, e => e.Event.Action == AuditAction.Export && e.Event.Detail!.Contains($"training extract {extract.Id:N} downloaded", StringComparison.Ordinal));
        Assert.Contains(await console.AuditOfAsync("sup-lyon"), e => e.Event.Action == AuditAction.AccessDenied && e.Event.RecordingId == recording.Id);
    }
}
