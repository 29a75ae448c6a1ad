using CallSwitch.Compliance.Requests;
using CallSwitch.Compliance.Storage;
using CallSwitch.Compliance.Storage.Sqlite;

namespace CallSwitch.Retention.Tests;

/// <summary>The sidecar deletes access bundles kept past <c>retention.access_bundle_days</c> (file zeroed and deleted, one audit entry).</summary>
public sealed class BundlePurgeTests
{
    [Fact]
    public async Task ABundleOlderThanItsDaysIsDeletedWithOneAuditEntryAndAYoungerOneAndAPartialOneAreKept()
    {
        using var fixture = new RetentionStoreFixture(RetentionStoreFixture.Yaml(("access_bundle_days: 30", "access_bundle_days: 10")));
        await fixture.OpenStore().DisposeAsync(); // the store the switch made (the sidecar never creates one)
        DateTimeOffset asOf = RetentionStoreFixture.Started.AddDays(60);
        string folder = Directory.CreateDirectory(Path.Combine(fixture.Data, SubjectRequestService.BundleFolder)).FullName;
        string old = Bundle(folder, "DSR-000001.zip", asOf.AddDays(-11));
        string young = Bundle(folder, "DSR-000002.zip", asOf.AddDays(-9));
        string partial = Bundle(folder, "DSR-000003.zip.partial", asOf.AddDays(-30));

        var (code, output, error) = await RetentionSidecarTests.RunAsync("--config", fixture.ConfigPath, "--dry-run", "--now", asOf.ToString("o"));
        Assert.True(code == 0, error + output);
        Assert.Contains($"purge  bundle DSR-000001.zip  written {asOf.AddDays(-11).UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}", output, StringComparison.Ordinal);
        Assert.DoesNotContain("DSR-000002", output, StringComparison.Ordinal);
        Assert.Contains("1 access bundle(s) would be deleted", output, StringComparison.Ordinal);
        Assert.True(File.Exists(old));

        (code, output, error) = await RetentionSidecarTests.RunAsync("--config", fixture.ConfigPath, "--once", "--now", asOf.ToString("o"));
        Assert.True(code == 0, error + output);
        Assert.False(File.Exists(old));
        Assert.True(File.Exists(young));
        Assert.True(File.Exists(partial));
        await using (SqliteMetadataStore store = fixture.OpenStore())
        {
            AuditEntry deleted = Assert.Single(await store.ReadAuditAsync(0, 100), e => e.Event.Action == AuditAction.RequestBundleDeleted);
            Assert.Equal("retention", deleted.Event.Actor);
            Assert.Contains($"file={old} written={asOf.AddDays(-11).UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'} kept=10 days", deleted.Event.Detail, StringComparison.Ordinal);
            Assert.Null((await store.VerifyAuditAsync([])).FirstBadSequence);
        }

        // Nothing left to delete: the next run writes nothing.
        long audit = await RetentionSidecarTests.AuditCountAsync(fixture);
        (code, _, error) = await RetentionSidecarTests.RunAsync("--config", fixture.ConfigPath, "--once", "--now", asOf.ToString("o"));
        Assert.True(code == 0, error);
        Assert.Equal(audit, await RetentionSidecarTests.AuditCountAsync(fixture));
    }

    private static string Bundle(string folder, string name, DateTimeOffset written)
    {
        string path = Path.Combine(folder, name);
        File.WriteAllBytes(path, [0x50, 0x4B, 0x05, 0x06, .. new byte[18]]);
        File.SetLastWriteTimeUtc(path, written.UtcDateTime);
        return path;
    }
}
