using CallSwitch.Compliance.Storage;
using CallSwitch.InteropTests.Calls;
using Microsoft.Playwright;

namespace CallSwitch.InteropTests.WebConsole;

/// <summary>
/// Recordings in Chromium, after a call SIPp placed through the switch was recorded: a quality
/// reviewer finds it by the number written another way, chooses a purpose, plays it to the end
/// (HTTP ranges over the decrypting reader), sees both channels' waveforms and annotates it; a
/// supervisor of another team is refused it (403, audited); a request without its antiforgery
/// token is refused; every page is photographed.
/// </summary>
public sealed class RecordingsBrowserTests
{
    [Fact]
    public async Task AReviewerFindsPlaysAndAnnotatesARecordingOthersAreRefusedAndCsrfIsEnforced()
    {
        await using ConsoleHarness console = await ConsoleHarness.StartAsync();
        RecordingMetadata recording = await console.RecordOneCallAsync(talkMs: 2500);

        // Search by the number written the French way (stored as +33612345678).
        IPage page = await console.SignInAsync("quality", "fr");
        Assert.EndsWith("/recordings", page.Url, StringComparison.Ordinal);
        Assert.Equal("fr", await page.GetAttributeAsync("html", "lang"));
        await page.FillAsync("#number", "06 12 34 56 78");
        await page.ClickAsync("#search-button");
        await page.WaitForSelectorAsync($"#results tr[data-id='{recording.Id}']");
        Assert.Equal(1, await page.Locator("#results tr").CountAsync());
        await ConsoleHarness.ScreenshotAsync(page, "recordings-search");

        // Open, choose the purpose, play to the end.
        await page.ClickAsync($"#results tr[data-id='{recording.Id}'] a.open");
        await page.WaitForSelectorAsync("#purpose-form:not([hidden])");
        await page.SelectOptionAsync("#purpose", "training");
        await page.ClickAsync("#open");
        await page.WaitForSelectorAsync("#player:not([hidden]), #player-error:not([hidden])");
        Assert.True(await page.IsHiddenAsync("#player-error"), "refused: " + await page.InnerTextAsync("#player-error") + "\n" + console.Calls.Switch.Log);
        await page.WaitForFunctionAsync("() => document.querySelectorAll('#wave-agent rect.peak').length > 100 && document.querySelectorAll('#wave-prospect rect.peak').length > 100");
        double played = await page.EvaluateAsync<double>("""
            () => new Promise((resolve, reject) => {
              const audio = document.getElementById('audio');
              audio.addEventListener('ended', () => resolve(audio.currentTime), { once: true });
              audio.addEventListener('error', () => reject(new Error('media error ' + (audio.error && audio.error.code))), { once: true });
              audio.play().catch(reject);
            })
            """);
        double seconds = recording.Duration!.Value.TotalSeconds;
        Assert.InRange(played, seconds - 0.3, seconds + 0.3);
        await ConsoleHarness.ScreenshotAsync(page, "player");

        // Annotate at the current position.
        await page.FillAsync("#annotation-text", "bon rappel des conditions");
        await page.ClickAsync("#annotate");
        await page.WaitForSelectorAsync("#annotations li:has-text('bon rappel des conditions')");
        RecordingAnnotation note = Assert.Single(await ((IAnnotationStore)console.Store).ListAnnotationsAsync(recording.Id));
        Assert.Equal("quality", note.Author);
        Assert.InRange(note.Position.TotalSeconds, seconds - 0.5, seconds + 0.5);
        IReadOnlyList<AuditEntry> quality = await console.AuditOfAsync("quality");
        Assert.Contains(quality, e => e.Event.Action == AuditAction.Play && e.Event.RecordingId == recording.Id && e.Event.Purpose == "training");
        Assert.Contains(quality, e => e.Event.Action == AuditAction.Search && e.Event.Detail!.Contains("number=+33612345678", StringComparison.Ordinal));

        // The same POST without its antiforgery token is refused, and nothing is written.
        IAPIResponse forged = await page.Context.APIRequest.PostAsync($"/api/recordings/{recording.Id}/annotations", new()
        {
            DataObject = new { at = 1.0, text = "forged" },
        });
        Assert.Equal(400, forged.Status);
        Assert.Single(await ((IAnnotationStore)console.Store).ListAnnotationsAsync(recording.Id));

        // A supervisor of another team: the recording is out of their scope.
        IPage lyon = await console.SignInAsync("sup-lyon");
        IResponse? denied = await lyon.GotoAsync($"/api/recordings/{recording.Id}");
        Assert.Equal(403, denied!.Status);
        await lyon.GotoAsync($"/recordings/{recording.Id}");
        await lyon.WaitForSelectorAsync("#player-error:not([hidden])");
        await ConsoleHarness.ScreenshotAsync(lyon, "player-refused");
        IResponse? holds = await lyon.GotoAsync("/holds");
        Assert.Equal(403, holds!.Status);
        await ConsoleHarness.ScreenshotAsync(lyon, "forbidden");
        IReadOnlyList<AuditEntry> refused = await console.AuditOfAsync("sup-lyon");
        Assert.Contains(refused, e => e.Event.Action == AuditAction.AccessDenied && e.Event.RecordingId == recording.Id);
        Assert.Contains(refused, e => e.Event.Action == AuditAction.AccessDenied && e.Event.Detail!.Contains("action=holds", StringComparison.Ordinal));

        // The dpo's and admin's pages render (photographed as artefacts).
        IPage dpo = await console.SignInAsync("dpo");
        foreach (string path in new[] { "/holds", "/indicators", "/audit" })
        {
            IResponse? response = await dpo.GotoAsync(path);
            Assert.Equal(200, response!.Status);
            await dpo.WaitForLoadStateAsync(LoadState.NetworkIdle);
            await ConsoleHarness.ScreenshotAsync(dpo, "dpo" + path.Replace('/', '-'));
        }

        IPage admin = await console.SignInAsync("admin");
        Assert.EndsWith("/campaigns", admin.Url, StringComparison.Ordinal);
        await admin.WaitForSelectorAsync("#campaigns tr");
        await ConsoleHarness.ScreenshotAsync(admin, "campaigns");
        Assert.NotEmpty(Directory.GetFiles(ConsoleHarness.Screenshots, "*.png"));
    }
}
