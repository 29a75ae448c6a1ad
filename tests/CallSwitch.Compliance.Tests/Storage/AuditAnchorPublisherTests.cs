using System.Collections.Concurrent;
using CallSwitch.Compliance.Storage;
using CallSwitch.Compliance.Storage.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace CallSwitch.Compliance.Tests.Storage;

public sealed class AuditAnchorPublisherTests : IDisposable
{
    private readonly TempDataDirectory _directory = new();
    private readonly FakeTimeProvider _time = new(StoreSamples.T0);

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task The_head_is_published_each_period_it_moved_and_not_again_when_it_did_not()
    {
        await using SqliteMetadataStore store = SqliteMetadataStore.Open(new SqliteMetadataStoreOptions { DataDirectory = _directory.Path, Time = _time });
        var published = new BlockingCollection<AuditAnchor>();
        await using AuditAnchorPublisher publisher = AuditAnchorPublisher.Start(store, _time, TimeSpan.FromHours(1), published.Add, e => Assert.Fail(e.ToString()));

        Assert.Null(await publisher.PublishNowAsync());
        AuditEntry first = await store.AppendAuditAsync(new AuditEvent(_time.GetUtcNow(), "a", AuditAction.Search, null, "p"));
        _time.Advance(TimeSpan.FromHours(1));

        // The timer's publication runs on the pool: wait for it (no deadline asserted, only the value).
        Assert.True(published.TryTake(out AuditAnchor? anchor, TimeSpan.FromSeconds(30)));
        Assert.Equal(new AuditAnchor(first.Sequence, first.Hash!), anchor);
        Assert.Equal(anchor, await publisher.PublishNowAsync());
        Assert.Empty(published);

        AuditEntry second = await store.AppendAuditAsync(new AuditEvent(_time.GetUtcNow(), "b", AuditAction.Search, null, "p"));
        Assert.Equal(new AuditAnchor(second.Sequence, second.Hash!), await publisher.PublishNowAsync());
        Assert.Equal(new AuditAnchor(2, second.Hash!), Assert.Single(published));
    }
}
