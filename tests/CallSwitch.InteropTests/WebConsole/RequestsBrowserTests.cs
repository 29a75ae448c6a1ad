using System.IO.Compression;
using CallSwitch.Compliance.Numbers;
using CallSwitch.Compliance.Storage;
using Microsoft.Playwright;

namespace CallSwitch.InteropTests.WebConsole;

/// <summary>
/// The dpo's requests page in Chromium, after a call SIPp placed through the switch was recorded
/// (the number stored as +33612345678): a quality reviewer is refused the page (403, audited); the
/// dpo opens an access request for the number written one way, fulfils it and downloads the bundle
/// (the recording inside), then an erasure request for the number written another way, fulfils it,
/// and the recording is gone from the search; the number is never shown in clear; the do-not-call
/// list takes a number; a POST without its antiforgery token is refused.
/// </summary>
public sealed class RequestsBrowserTests
{
    private const string Stored = "+33612345678";

    [Fact]
    public async Task TheDpoAnswersAnAccessThenAnErasureRequestTheRecordingLeavesTheSearchAndOthersAreRefused()
    {
        await using ConsoleHarness console = await ConsoleHarness.StartAsync();
        RecordingMetadata recording = await console.RecordOneCallAsync(talkMs: 2000);
        Assert.Equal(Stored, recording.ProspectNumber);

        // A quality reviewer: not their page, and the attempt is in the audit log.
        IPage quality = await console.SignInAsync("quality");
        IResponse? refused = await quality.GotoAsync("/requests");
        Assert.Equal(403, refused!.Status);
        Assert.Equal(0, await quality.Locator("nav a[href='/requests']").CountAsync());
        await ConsoleHarness.ScreenshotAsync(quality, "requests-forbidden");
        IResponse? api = await quality.GotoAsync("/api/requests");
        Assert.Equal(403, api!.Status);
        await console.Host.Archive!.FlushAsync();
        IReadOnlyList<AuditEntry> qualityAudit = await console.AuditOfAsync("quality");
        Assert.Equal(2, qualityAudit.Count(e => e.Event.Action == AuditAction.AccessDenied && e.Event.Detail!.Contains("action=requests", StringComparison.Ordinal)));

        IPage dpo = await console.SignInAsync("dpo", "fr");
        dpo.Dialog += (_, dialog) => dialog.AcceptAsync();
        await dpo.GotoAsync("/requests");
        Assert.Equal(1, await dpo.Locator("nav a[href='/requests']").CountAsync());

        // Access, the number written with the international prefix and dots.
        await dpo.SelectOptionAsync("#req-kind", "access");
        await dpo.FillAsync("#req-number", "0033 6.12.34.56.78");
        await dpo.FillAsync("#req-reference", "lettre du 1er décembre");
        await dpo.ClickAsync("#req-open");
        await dpo.WaitForSelectorAsync("#request:not([hidden]) #req-fulfil:not([hidden])");
        string masked = PhoneNumberMask.Mask(Stored);
        Assert.Equal(masked, await dpo.InnerTextAsync("#requests tr td.number"));
        await dpo.ClickAsync("#req-fulfil");
        await dpo.WaitForSelectorAsync("#req-bundle:not([hidden])");
        IDownload download = await dpo.RunAndWaitForDownloadAsync(() => dpo.ClickAsync("#req-bundle"));
        string bundle = Path.Combine(Path.GetTempPath(), "cs-bundle-" + Guid.NewGuid().ToString("N") + ".zip");
        try
        {
            await download.SaveAsAsync(bundle);
            using ZipArchive zip = ZipFile.OpenRead(bundle);
            ZipArchiveEntry audio = Assert.Single(zip.Entries, e => e.FullName == $"recordings/{recording.Id:D}.ogg");
            Assert.True(audio.Length > 1000, $"{audio.Length} bytes");
            Assert.NotNull(zip.GetEntry("summary.json"));
        }
        finally
        {
            File.Delete(bundle);
        }

        await ConsoleHarness.ScreenshotAsync(dpo, "requests-access");

        // Erasure, the number written the national way with spaces.
        await dpo.SelectOptionAsync("#req-kind", "erasure");
        await dpo.FillAsync("#req-number", "06 12 34 56 78");
        await dpo.ClickAsync("#req-open");
        await dpo.WaitForSelectorAsync("#request-title:has-text('DSR-2')");
        await dpo.WaitForSelectorAsync("#req-fulfil:not([hidden])");
        await dpo.ClickAsync("#req-fulfil");
        await dpo.WaitForSelectorAsync($"#request-answer li:has-text('{recording.Id:D}')");
        Assert.Contains("erased", await dpo.InnerTextAsync("#request-answer"), StringComparison.Ordinal);
        Assert.Equal(2, await dpo.Locator("#requests tr[data-status='done']").CountAsync());

        // The do-not-call list takes a number as written and shows it masked.
        await dpo.FillAsync("#dnc-number", "07 98 76 54 32");
        await dpo.ClickAsync("#dnc-add");
        await dpo.WaitForSelectorAsync("#dnc tr td.number");
        Assert.Equal(PhoneNumberMask.Mask("+33798765432"), await dpo.InnerTextAsync("#dnc tr td.number"));
        await ConsoleHarness.ScreenshotAsync(dpo, "requests-erasure");

        // Nowhere on the page is a number in clear.
        string text = await dpo.InnerTextAsync("main");
        foreach (string clear in new[] { "612345678", "12 34 56 78", "798765432" })
        {
            Assert.DoesNotContain(clear, text, StringComparison.Ordinal);
        }

        // The recording left the search; in the store it is a tombstone without the number.
        await dpo.GotoAsync("/recordings");
        await dpo.FillAsync("#number", "06 12 34 56 78");
        await dpo.ClickAsync("#search-button");
        await dpo.WaitForSelectorAsync("#count:has-text('0 ')");
        Assert.Equal(0, await dpo.Locator("#results tr").CountAsync());
        RecordingMetadata erased = (await console.Store.GetRecordingAsync(recording.Id))!;
        Assert.True(erased.IsErased);
        Assert.Null(erased.ProspectNumber);
        await ConsoleHarness.ScreenshotAsync(dpo, "requests-search-after-erasure");

        // Same service, same audit as the CLI: the steps under the dpo, the bundle's download among them.
        await console.Host.Archive!.FlushAsync();
        IReadOnlyList<AuditEntry> steps = await console.AuditOfAsync("dpo");
        Assert.Equal(2, steps.Count(e => e.Event.Action == AuditAction.RequestOpened));
        Assert.Equal(2, steps.Count(e => e.Event.Action == AuditAction.RequestFulfilled));
        Assert.Contains(steps, e => e.Event.Action == AuditAction.RequestBundleWritten);
        Assert.Contains(steps, e => e.Event.Action == AuditAction.Export && e.Event.Detail!.Contains("access bundle downloaded", StringComparison.Ordinal));
        Assert.Contains(steps, e => e.Event.Action == AuditAction.Erase && e.Event.RecordingId == recording.Id);
        Assert.All(
            steps.Where(e => e.Event.Action != AuditAction.Search),
            e => Assert.DoesNotContain("612345678", e.Event.Detail ?? string.Empty, StringComparison.Ordinal));

        // The same POST without its antiforgery token is refused, and no request is opened.
        IAPIResponse forged = await dpo.Context.APIRequest.PostAsync("/api/requests", new() { DataObject = new { kind = "objection", number = "0612345678" } });
        Assert.Equal(400, forged.Status);
        await console.Host.Archive!.FlushAsync();
        Assert.Equal(2, (await console.AuditOfAsync("dpo")).Count(e => e.Event.Action == AuditAction.RequestOpened));
    }
}
