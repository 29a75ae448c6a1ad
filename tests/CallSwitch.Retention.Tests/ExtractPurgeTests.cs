using System.Security.Cryptography;
using CallSwitch.Compliance.Storage;
using CallSwitch.Compliance.Storage.Sqlite;
using CallSwitch.Recording.Encryption;
using CallSwitch.Recording.Vault;

namespace CallSwitch.Retention.Tests;

/// <summary>The sidecar destroys anonymised training extracts past their own deadline (key, file, row, audit).</summary>
public sealed class ExtractPurgeTests
{
    [Fact]
    public async Task AnExtractPastItsDeadlineIsDestroyedWithOneAuditEntryAndAYoungerOneIsKept()
    {
        using var fixture = new RetentionStoreFixture();
        TrainingExtract due, young;
        await using (SqliteMetadataStore store = fixture.OpenStore())
        {
            due = await AddExtractAsync(fixture, store, days: 30);
            young = await AddExtractAsync(fixture, store, days: 90);
        }

        string asOf = RetentionStoreFixture.Started.AddDays(60).ToString("o");
        var (code, output, error) = await RunAsync("--config", fixture.ConfigPath, "--dry-run", "--now", asOf);
        Assert.True(code == 0, error + output);
        Assert.Contains($"purge  extract {due.Id:D}  campaign demo-fr, agent 1001, deadline 2026-01-31T09:00:00Z", output, StringComparison.Ordinal);
        Assert.DoesNotContain(young.Id.ToString("D"), output, StringComparison.Ordinal);
        Assert.Contains("1 training extract(s) would be purged", output, StringComparison.Ordinal);
        Assert.True(File.Exists(due.FilePath));
        Assert.True(fixture.HasKey(due.KeyId));

        (code, output, error) = await RunAsync("--config", fixture.ConfigPath, "--once", "--now", asOf);
        Assert.True(code == 0, error + output);

        await using (SqliteMetadataStore store = fixture.OpenStore())
        {
            Assert.False(File.Exists(due.FilePath));
            Assert.False(fixture.HasKey(due.KeyId));
            Assert.Equal([young.Id], (await store.ListExtractsAsync()).Select(e => e.Id));
            Assert.True(File.Exists(young.FilePath));
            Assert.True(fixture.HasKey(young.KeyId));
            AuditEntry purge = Assert.Single(await store.ReadAuditAsync(0, 100), e => e.Event.Action == AuditAction.ExtractPurged);
            Assert.Equal("retention", purge.Event.Actor);
            Assert.Contains($"extract={due.Id:D}; campaign demo-fr, agent 1001, deadline 2026-01-31T09:00:00Z", purge.Event.Detail, StringComparison.Ordinal);
        }

        long audit = await AuditCountAsync(fixture);
        (code, _, error) = await RunAsync("--config", fixture.ConfigPath, "--once", "--now", asOf);
        Assert.True(code == 0, error);
        Assert.Equal(audit, await AuditCountAsync(fixture));
    }

    [Fact]
    public async Task APurgeLeftHalfDoneKeyGoneRowStillThereIsFinishedByTheNextRun()
    {
        using var fixture = new RetentionStoreFixture();
        TrainingExtract due;
        await using (SqliteMetadataStore store = fixture.OpenStore())
        {
            due = await AddExtractAsync(fixture, store, days: 30);
        }

        // A crash after the first step: the key is destroyed, the file and the row are still there.
        Assert.True(fixture.Vault.DestroyKey(due.KeyId));

        var (code, output, error) = await RunAsync("--config", fixture.ConfigPath, "--once", "--now", RetentionStoreFixture.Started.AddDays(60).ToString("o"));
        Assert.True(code == 0, error + output);
        await using SqliteMetadataStore after = fixture.OpenStore();
        Assert.Empty(await after.ListExtractsAsync());
        Assert.False(File.Exists(due.FilePath));
        Assert.Single(await after.ReadAuditAsync(0, 100), e => e.Event.Action == AuditAction.ExtractPurged);
    }

    private static async Task<TrainingExtract> AddExtractAsync(RetentionStoreFixture fixture, SqliteMetadataStore store, int days)
    {
        Guid id = Guid.CreateVersion7();
        string path = Path.Combine(fixture.Spool, "extracts", id.ToString("N") + ".ogg.enc");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        Guid keyId;
        using (DataKey key = fixture.Vault.Keys.CreateDataKey())
        await using (FileStream file = File.Create(path))
        await using (var writer = new EncryptedRecordingWriter(file, key.Key, key.Id))
        {
            keyId = key.Id;
            writer.Write([.. "OggS"u8, .. RandomNumberGenerator.GetBytes(1024)]);
            writer.Complete();
        }

        var extract = new TrainingExtract
        {
            Id = id,
            CampaignId = "demo-fr",
            AgentId = "1001",
            CreatedAt = RetentionStoreFixture.Started,
            CreatedBy = "quality",
            RetentionUntil = RetentionStoreFixture.Started.AddDays(days),
            KeyId = keyId,
            FilePath = path,
            Duration = TimeSpan.FromSeconds(20),
        };
        await store.AddExtractAsync(extract);
        return extract;
    }

    private static Task<long> AuditCountAsync(RetentionStoreFixture fixture) => RetentionSidecarTests.AuditCountAsync(fixture);

    private static Task<(int Code, string Output, string Error)> RunAsync(params string[] args) => RetentionSidecarTests.RunAsync(args);
}
