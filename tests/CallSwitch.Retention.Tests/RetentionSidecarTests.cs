using CallSwitch.Compliance.Erasure;
using CallSwitch.Compliance.Storage;
using CallSwitch.Compliance.Storage.Sqlite;

namespace CallSwitch.Retention.Tests;

/// <summary>callswitch-retention run in-process on a store, a vault and a configuration of its own.</summary>
public sealed class RetentionSidecarTests
{
    private const string Number = "+33612345678";

    [Fact]
    public async Task PurgesExactlyTheExpiredCampaignWithReceiptsAndASecondRunDoesNothing()
    {
        using var fixture = new RetentionStoreFixture();
        RetentionStoreFixture.Seeded en1, en2, fr;
        await using (SqliteMetadataStore store = fixture.OpenStore())
        {
            en1 = await fixture.RecordAsync(store, "demo-en", 90, Number);
            en2 = await fixture.RecordAsync(store, "demo-en", 90, "+33698765432");
            fr = await fixture.RecordAsync(store, "demo-fr", 180, Number);
        }

        // 120 days on: demo-en (90 days) is due, demo-fr (180 days) is not.
        string asOf = RetentionStoreFixture.Started.AddDays(120).ToString("o");
        var (code, output, error) = await RunAsync("--config", fixture.ConfigPath, "--now", asOf);
        Assert.True(code == 0, error + output);

        await using (SqliteMetadataStore store = fixture.OpenStore())
        using (EcdsaReceiptSigner signer = EcdsaReceiptSigner.OpenExisting(Path.Combine(fixture.Data, EcdsaReceiptSigner.KeyFileName)))
        {
            foreach (RetentionStoreFixture.Seeded purged in new[] { en1, en2 })
            {
                Assert.False(File.Exists(purged.FilePath));
                Assert.False(fixture.HasKey(purged.KeyId));
                RecordingMetadata row = (await store.GetRecordingAsync(purged.Id))!;
                Assert.True(row.IsErased);
                Assert.Null(row.ProspectNumber);
                Assert.NotNull(row.ProspectNumberDigest);
                Assert.Equal("retention", row.Erasure!.By);
                Assert.Equal("retention-expired", row.Erasure.Reason);
                SignedErasureReceipt receipt = (await store.GetReceiptAsync(purged.Id))!;
                Assert.True(EcdsaReceiptSigner.Verify(receipt.Document, receipt.Signature, signer.PublicKeyPem));
                Assert.Equal(purged.CiphertextSha256, ErasureReceipt.Parse(receipt.Document).CiphertextSha256);
                AuditEntry erase = Assert.Single(await store.ReadAuditForRecordingAsync(purged.Id), e => e.Event.Action == AuditAction.Erase);
                Assert.Contains("campaign demo-en, rule demo-en:always, deadline 2026-04-01T09:00:00Z", erase.Event.Detail, StringComparison.Ordinal);
            }

            Assert.Equal(fixture.Vault.Digest(Number), (await store.GetRecordingAsync(en1.Id))!.ProspectNumberDigest);
            RecordingMetadata kept = (await store.GetRecordingAsync(fr.Id))!;
            Assert.True(kept.IsPlayable);
            Assert.True(File.Exists(fr.FilePath));
            Assert.True(fixture.HasKey(fr.KeyId));
        }

        long auditBefore = await AuditCountAsync(fixture);
        (code, _, error) = await RunAsync("--config", fixture.ConfigPath, "--now", asOf);
        Assert.True(code == 0, error);
        Assert.Equal(auditBefore, await AuditCountAsync(fixture));
        Assert.True(File.Exists(fr.FilePath));
    }

    [Fact]
    public async Task ADryRunListsWhatWouldGoAndWhyWithoutANumberAndChangesNothing()
    {
        using var fixture = new RetentionStoreFixture();
        RetentionStoreFixture.Seeded en, fr;
        await using (SqliteMetadataStore store = fixture.OpenStore())
        {
            en = await fixture.RecordAsync(store, "demo-en", 90, Number);
            fr = await fixture.RecordAsync(store, "demo-fr", 180, Number);
        }

        var (code, output, error) = await RunAsync("--config", fixture.ConfigPath, "--dry-run", "--now", RetentionStoreFixture.Started.AddDays(120).ToString("o"));

        Assert.True(code == 0, error + output);
        Assert.Contains($"purge  {en.Id:D}  campaign demo-en, rule demo-en:always, deadline 2026-04-01T09:00:00Z", output, StringComparison.Ordinal);
        Assert.DoesNotContain(fr.Id.ToString("D"), output, StringComparison.Ordinal);
        Assert.DoesNotContain("+33", output + error, StringComparison.Ordinal);
        Assert.Contains("1 recording(s) would be purged, 0 held", output, StringComparison.Ordinal);
        Assert.True(File.Exists(en.FilePath));
        Assert.True(fixture.HasKey(en.KeyId));
        Assert.False(File.Exists(Path.Combine(fixture.Data, EcdsaReceiptSigner.KeyFileName)));
        Assert.Equal(0, await AuditCountAsync(fixture));
    }

    [Fact]
    public async Task AShortenedRetentionIsShownByTheDryRunThenAppliedToRecordingsAlreadyMadeAndALongerOneIsNot()
    {
        using var fixture = new RetentionStoreFixture();
        RetentionStoreFixture.Seeded en, fr;
        await using (SqliteMetadataStore store = fixture.OpenStore())
        {
            en = await fixture.RecordAsync(store, "demo-en", 90, Number);
            fr = await fixture.RecordAsync(store, "demo-fr", 180, Number);
        }

        // demo-fr: 180 -> 30 days (shorter: applies now); demo-en: 90 -> 365 days (longer: new recordings only).
        File.WriteAllText(fixture.ConfigPath, RetentionStoreFixture.Yaml(
            ("retention_days: 180", "retention_days: 30"),
            ("retention_days: 90", "retention_days: 365")));
        string asOf = RetentionStoreFixture.Started.AddDays(100).ToString("o");

        var (code, output, error) = await RunAsync("--config", fixture.ConfigPath, "--dry-run", "--now", asOf);
        Assert.True(code == 0, error + output);
        Assert.Contains(
            $"purge  {fr.Id:D}  campaign demo-fr, rule demo-fr:always, deadline 2026-01-31T09:00:00Z (shortened from 2026-06-30T09:00:00Z)",
            output,
            StringComparison.Ordinal);
        Assert.Contains($"purge  {en.Id:D}  campaign demo-en, rule demo-en:always, deadline 2026-04-01T09:00:00Z", output, StringComparison.Ordinal);
        Assert.True(File.Exists(fr.FilePath));

        (code, _, error) = await RunAsync("--config", fixture.ConfigPath, "--now", asOf);
        Assert.True(code == 0, error);
        Assert.False(File.Exists(fr.FilePath));
        Assert.False(File.Exists(en.FilePath));
    }

    [Fact]
    public async Task AShortenedDeadlineNotYetPassedIsStoredForTheNextRuns()
    {
        using var fixture = new RetentionStoreFixture();
        RetentionStoreFixture.Seeded fr;
        await using (SqliteMetadataStore store = fixture.OpenStore())
        {
            fr = await fixture.RecordAsync(store, "demo-fr", 180, Number);
        }

        File.WriteAllText(fixture.ConfigPath, RetentionStoreFixture.Yaml(("retention_days: 180", "retention_days: 30")));
        var (code, _, error) = await RunAsync("--config", fixture.ConfigPath, "--now", RetentionStoreFixture.Started.AddDays(10).ToString("o"));

        Assert.True(code == 0, error);
        await using SqliteMetadataStore reopened = fixture.OpenStore();
        RecordingMetadata row = (await reopened.GetRecordingAsync(fr.Id))!;
        Assert.True(row.IsPlayable);
        Assert.Equal(RetentionStoreFixture.Started.AddDays(30), row.RetentionUntil);
    }

    [Fact]
    public async Task AHeldRecordingIsKeptAndTheDryRunSaysSo()
    {
        using var fixture = new RetentionStoreFixture();
        RetentionStoreFixture.Seeded held;
        await using (SqliteMetadataStore store = fixture.OpenStore())
        {
            held = await fixture.RecordAsync(store, "demo-en", 90, Number);
            Assert.True(await store.SetLegalHoldAsync(held.Id, true, "dpo", "litigation 2026-3"));
        }

        string asOf = RetentionStoreFixture.Started.AddDays(120).ToString("o");
        var (code, output, error) = await RunAsync("--config", fixture.ConfigPath, "--dry-run", "--now", asOf);
        Assert.True(code == 0, error);
        Assert.Contains($"held   {held.Id:D}  campaign demo-en", output, StringComparison.Ordinal);
        Assert.Contains("(legal hold: kept)", output, StringComparison.Ordinal);
        Assert.Contains("0 recording(s) would be purged, 1 held", output, StringComparison.Ordinal);

        (code, _, error) = await RunAsync("--config", fixture.ConfigPath, "--now", asOf);
        Assert.True(code == 0, error);
        Assert.True(File.Exists(held.FilePath));
        Assert.True(fixture.HasKey(held.KeyId));
    }

    [Fact]
    public async Task NumberAndCampaignHoldsKeepTheirRecordingsUntilTheyExpire()
    {
        using var fixture = new RetentionStoreFixture();
        RetentionStoreFixture.Seeded byNumber, byCampaign, free;
        DateTimeOffset expires = RetentionStoreFixture.Started.AddDays(150);
        await using (SqliteMetadataStore store = fixture.OpenStore())
        {
            byNumber = await fixture.RecordAsync(store, "demo-en", 90, Number);
            byCampaign = await fixture.RecordAsync(store, "demo-fr", 30, "+33698765432");
            free = await fixture.RecordAsync(store, "demo-en", 90, "+33698765432");
            await store.PlaceHoldAsync(new NewLegalHold
            {
                Scope = LegalHoldScope.Number, NumberDigest = fixture.Vault.Digest(Number), Reason = "contested", RequestedBy = "counsel", PlacedBy = "dpo",
            });
            await store.PlaceHoldAsync(new NewLegalHold
            {
                Scope = LegalHoldScope.Campaign, CampaignId = "demo-fr", Reason = "audit", RequestedBy = "cnil", PlacedBy = "dpo", ExpiresAt = expires,
            });
        }

        var (code, output, error) = await RunAsync("--config", fixture.ConfigPath, "--now", RetentionStoreFixture.Started.AddDays(120).ToString("o"));
        Assert.True(code == 0, error + output);
        Assert.True(File.Exists(byNumber.FilePath));
        Assert.True(File.Exists(byCampaign.FilePath));
        Assert.False(File.Exists(free.FilePath));

        // The campaign hold lapses at its expiry; the number hold stays until released.
        (code, _, error) = await RunAsync("--config", fixture.ConfigPath, "--now", expires.ToString("o"));
        Assert.True(code == 0, error);
        Assert.True(File.Exists(byNumber.FilePath));
        Assert.False(File.Exists(byCampaign.FilePath));
        await using SqliteMetadataStore reopened = fixture.OpenStore();
        Assert.Contains(await reopened.ReadAuditAsync(0, 1000), e => e.Event.Action == AuditAction.LegalHoldExpired && e.Event.Actor == "retention");
    }

    [Fact]
    public async Task WhileAnotherSidecarHoldsTheLeaseItExitsWithAClearMessageAndPurgesNothing()
    {
        using var fixture = new RetentionStoreFixture();
        RetentionStoreFixture.Seeded due;
        await using (SqliteMetadataStore store = fixture.OpenStore())
        {
            due = await fixture.RecordAsync(store, "demo-en", 90, Number);
            Assert.Null(await store.TryAcquireLeaseAsync(RetentionRunner.LeaseName, "other-host/1234/x", DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)));
        }

        string asOf = RetentionStoreFixture.Started.AddDays(120).ToString("o");
        var (code, _, error) = await RunAsync("--config", fixture.ConfigPath, "--now", asOf);

        Assert.Equal(1, code);
        Assert.Contains("another retention sidecar (other-host/1234/x) holds the lease on this store until ", error, StringComparison.Ordinal);
        Assert.True(File.Exists(due.FilePath));

        await using (SqliteMetadataStore store = fixture.OpenStore())
        {
            await store.ReleaseLeaseAsync(RetentionRunner.LeaseName, "other-host/1234/x");
        }

        (code, _, error) = await RunAsync("--config", fixture.ConfigPath, "--now", asOf);
        Assert.True(code == 0, error);
        Assert.False(File.Exists(due.FilePath));
    }

    [Fact]
    public async Task TwoSidecarsStartedTogetherNeverBothPurgeARecording()
    {
        using var fixture = new RetentionStoreFixture();
        var seeded = new List<RetentionStoreFixture.Seeded>();
        await using (SqliteMetadataStore store = fixture.OpenStore())
        {
            for (int i = 0; i < 40; i++)
            {
                seeded.Add(await fixture.RecordAsync(store, "demo-en", 90, Number));
            }
        }

        string asOf = RetentionStoreFixture.Started.AddDays(120).ToString("o");
        (int Code, string Output, string Error)[] runs = await Task.WhenAll(
            Task.Run(() => RunAsync("--config", fixture.ConfigPath, "--now", asOf)),
            Task.Run(() => RunAsync("--config", fixture.ConfigPath, "--now", asOf)));

        foreach (var run in runs)
        {
            Assert.True(run.Code == 0 || (run.Code == 1 && run.Error.Contains("holds the lease", StringComparison.Ordinal)), run.Error);
        }

        await using SqliteMetadataStore reopened = fixture.OpenStore();
        IReadOnlyList<AuditEntry> audit = await reopened.ReadAuditAsync(0, 10_000);
        foreach (RetentionStoreFixture.Seeded recording in seeded)
        {
            Assert.False(File.Exists(recording.FilePath));
            Assert.Single(audit, e => e.Event.Action == AuditAction.Erase && e.Event.RecordingId == recording.Id);
        }
    }

    [Theory]
    [InlineData("--bogus")]
    [InlineData("--now", "not-a-date")]
    [InlineData("--once", "extra")]
    public async Task ABadArgumentIsOneLineAndExitCodeTwo(params string[] args)
    {
        var (code, output, error) = await RunAsync(args);

        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task WithoutAStoreItRefusesAndCreatesNone()
    {
        using var fixture = new RetentionStoreFixture();

        var (code, _, error) = await RunAsync("--config", fixture.ConfigPath, "--once");

        Assert.Equal(1, code);
        Assert.Contains("no metadata store", error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(fixture.Data, SqliteMetadataStoreOptions.DefaultFileName)));
    }

    internal static async Task<long> AuditCountAsync(RetentionStoreFixture fixture)
    {
        await using SqliteMetadataStore store = fixture.OpenStore();
        return (await store.ReadAuditAsync(0, 10_000)).Count;
    }

    internal static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = await RetentionCommandLine.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
