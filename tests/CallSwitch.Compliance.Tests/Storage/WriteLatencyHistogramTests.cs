using CallSwitch.Compliance.Storage;
using CallSwitch.Compliance.Storage.Sqlite;

namespace CallSwitch.Compliance.Tests.Storage;

/// <summary>The store writer's latency histogram: its quantiles, and that the SQLite writer feeds it once per committed write.</summary>
public sealed class WriteLatencyHistogramTests
{
    [Fact]
    public void Quantiles_are_within_an_eighth_of_the_true_values_and_the_maximum_is_exact()
    {
        var histogram = new WriteLatencyHistogram();
        Assert.Equal(new WriteLatencySnapshot(0, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero), histogram.Snapshot());

        // 1 to 1,000 ms, once each: p50 = 500 ms, p99 = 990 ms, max = 1,000 ms.
        for (int ms = 1; ms <= 1000; ms++)
        {
            histogram.Record(TimeSpan.FromMilliseconds(ms));
        }

        WriteLatencySnapshot s = histogram.Snapshot();
        Assert.Equal(1000, s.Count);
        Assert.InRange(s.P50.TotalMilliseconds, 500, 500 * 1.125);
        Assert.InRange(s.P99.TotalMilliseconds, 990, 1000);
        Assert.Equal(TimeSpan.FromMilliseconds(1000), s.Max);
    }

    [Fact]
    public void Small_values_are_exact_and_a_huge_one_lands_in_the_last_bucket()
    {
        var histogram = new WriteLatencyHistogram();
        histogram.Record(TimeSpan.FromTicks(3 * TimeSpan.TicksPerMicrosecond));
        histogram.Record(TimeSpan.FromTicks(3 * TimeSpan.TicksPerMicrosecond));
        histogram.Record(TimeSpan.FromDays(100));

        WriteLatencySnapshot s = histogram.Snapshot();
        Assert.Equal(TimeSpan.FromTicks(3 * TimeSpan.TicksPerMicrosecond), s.P50);
        Assert.Equal(TimeSpan.FromDays(100), s.P99);
        Assert.Equal(TimeSpan.FromDays(100), s.Max);
    }

    [Fact]
    public async Task The_sqlite_writer_records_each_committed_write_and_not_a_refused_one()
    {
        using var directory = new TempDataDirectory();
        var histogram = new WriteLatencyHistogram();
        await using (SqliteMetadataStore store = SqliteMetadataStore.Open(new SqliteMetadataStoreOptions { DataDirectory = directory.Path, WriteLatency = histogram }))
        {
            long opened = histogram.Snapshot().Count;
            await store.SaveCallAsync(StoreSamples.Call("c1"));
            await store.SaveCallAsync(StoreSamples.Call("c2"));
            await Assert.ThrowsAsync<MetadataStoreException>(() => store.AddRecordingAsync(StoreSamples.Recording(Guid.NewGuid(), "missing")));

            WriteLatencySnapshot s = histogram.Snapshot();
            Assert.Equal(opened + 2, s.Count);
            Assert.True(s.Max > TimeSpan.Zero);
        }
    }
}
