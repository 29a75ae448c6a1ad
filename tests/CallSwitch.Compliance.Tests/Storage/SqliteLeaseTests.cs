using CallSwitch.Compliance.Storage;
using CallSwitch.Compliance.Storage.Sqlite;

namespace CallSwitch.Compliance.Tests.Storage;

/// <summary>The named lease that keeps two retention sidecars from purging together.</summary>
public sealed class SqliteLeaseTests : IDisposable
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private readonly TempDataDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task OneHolderAtATimeRenewalsKeepItExpiryOrReleaseFreesIt()
    {
        await using SqliteMetadataStore store = SqliteMetadataStore.Open(new SqliteMetadataStoreOptions { DataDirectory = _directory.Path });
        DateTimeOffset t0 = StoreSamples.T0;

        Assert.Null(await store.TryAcquireLeaseAsync("retention", "a", t0, Minute));
        RetentionLease? blocked = await store.TryAcquireLeaseAsync("retention", "b", t0.AddSeconds(30), Minute);
        Assert.Equal(new RetentionLease("a", t0 + Minute), blocked);

        // A renewal pushes the expiry; b still waits.
        Assert.Null(await store.TryAcquireLeaseAsync("retention", "a", t0.AddSeconds(50), Minute));
        Assert.Equal("a", (await store.TryAcquireLeaseAsync("retention", "b", t0.AddSeconds(100), Minute))!.Holder);

        // a stops renewing (killed): b gets it once it lapses.
        Assert.Null(await store.TryAcquireLeaseAsync("retention", "b", t0.AddSeconds(110), Minute));
        Assert.Equal("b", (await store.TryAcquireLeaseAsync("retention", "a", t0.AddSeconds(120), Minute))!.Holder);

        // Releasing by a non-holder does nothing; by the holder frees it.
        await store.ReleaseLeaseAsync("retention", "a");
        Assert.Equal("b", (await store.TryAcquireLeaseAsync("retention", "a", t0.AddSeconds(121), Minute))!.Holder);
        await store.ReleaseLeaseAsync("retention", "b");
        Assert.Null(await store.TryAcquireLeaseAsync("retention", "a", t0.AddSeconds(122), Minute));
    }
}
