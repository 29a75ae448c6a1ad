using CallSwitch.Compliance.Access;
using CallSwitch.Compliance.Kpi;
using CallSwitch.Compliance.Storage;
using CallSwitch.Compliance.Storage.Sqlite;
using CallSwitch.Compliance.Tests.Erasure;
using CallSwitch.Compliance.Tests.Storage;
using Microsoft.Extensions.Time.Testing;

namespace CallSwitch.Compliance.Tests.Kpi;

/// <summary>The indicators of a generated month of calls, against figures computed from the generated data itself.</summary>
public sealed class KpiTests : IDisposable
{
    private static readonly DateTimeOffset Month = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly TempDataDirectory _directory = new();
    private readonly FakeTimeProvider _time = new(Month.AddDays(-1));

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task A_month_of_calls_gives_the_figures_computed_independently()
    {
        await using SqliteMetadataStore store = SqliteMetadataStore.Open(new SqliteMetadataStoreOptions { DataDirectory = _directory.Path, Time = _time });
        List<Generated> month = await GenerateAsync(store);

        foreach (string? campaign in new[] { null, "a" })
        {
            KpiReport report = await store.ComputeKpiAsync(new KpiQuery(Month, Month.AddMonths(1), campaign));
            List<Generated> inMonth = month.Where(g => g.Started >= Month && g.Started < Month.AddMonths(1) && (campaign is null || g.Campaign == campaign)).ToList();
            List<Generated> recorded = inMonth.Where(g => g.Recorded).ToList();
            List<Generated> erased = month.Where(g => g.Erased && (campaign is null || g.Campaign == campaign)).ToList();

            Assert.True(inMonth.Count > 100, $"{inMonth.Count} calls");
            Assert.Equal(inMonth.Count, report.Calls);
            Assert.Equal(recorded.Count, report.CallsRecorded);
            Assert.Equal(inMonth.Count(g => g.Informed), report.CallsInformed);
            Assert.Equal((double)recorded.Count / inMonth.Count, report.ShareRecorded, 12);
            Assert.Equal(recorded.Sum(g => g.Pauses), report.Pauses);
            Assert.Equal(recorded.Count(g => g.Opposition == OppositionSource.Agent), report.OppositionsAgent);
            Assert.Equal(recorded.Count(g => g.Opposition == OppositionSource.Prospect), report.OppositionsProspect);
            Assert.Equal(erased.Count, report.RecordingsPurged);
            Assert.Equal(erased.Where(g => g.Opposition is null).Sum(g => g.Size), report.BytesFreed);
            int plays = recorded.Count(g => g.Played);
            Assert.Equal(
                new Dictionary<string, long> { ["(no user)"] = plays, ["manager"] = plays, ["quality"] = 2L * plays },
                report.ListensByRole.Where(kv => kv.Value > 0).ToDictionary());
        }

        await Assert.ThrowsAsync<ArgumentException>(() => store.ComputeKpiAsync(new KpiQuery(Month, Month)));
    }

    /// <summary>Calls every few minutes from the day before the month to the day after, with seeded chance deciding each fact.</summary>
    private async Task<List<Generated>> GenerateAsync(SqliteMetadataStore store)
    {
        using var eraser = new TestEraser(store, _time);
        await store.AddUserAsync(new NewUser("qa", "h", null, [new(Role.Quality, AccessScope.All)]), "root");
        await store.AddUserAsync(new NewUser("mgr", "h", null, [new(Role.Manager, AccessScope.All), new(Role.Quality, AccessScope.Campaign("a"))]), "root");
        var random = new Random(20260301);
        var generated = new List<Generated>();
        DateTimeOffset at = Month.AddDays(-1);
        int n = 0;
        while (at < Month.AddMonths(1).AddDays(1))
        {
            at = at.AddMinutes(random.Next(20, 300));
            _time.SetUtcNow(at);
            var g = new Generated
            {
                Started = at,
                Campaign = random.Next(2) == 0 ? "a" : "b",
                Informed = random.NextDouble() < 0.8,
                Recorded = random.NextDouble() < 0.6,
                Pauses = random.Next(3),
                Opposition = random.Next(10) switch { 0 => OppositionSource.Agent, 1 => OppositionSource.Prospect, _ => null },
                Size = random.Next(10_000, 1_000_000),
                Played = random.NextDouble() < 0.3,
            };
            g = g with { Erased = g.Recorded && random.NextDouble() < 0.2 && at >= Month && at < Month.AddMonths(1) };
            string callId = $"call-{n++}";
            CallRecord call = StoreSamples.Call(callId, at) with
            {
                CampaignId = g.Campaign,
                Recorded = g.Recorded,
                Announcement = g.Informed ? new AnnouncementPlayback(at.AddSeconds(8), StoreSamples.Sha('a')) : null,
            };
            await store.SaveCallAsync(call);
            if (g.Recorded)
            {
                Guid id = Guid.NewGuid();
                await store.AddRecordingAsync(StoreSamples.Recording(id, callId, campaign: g.Campaign, startedAt: at));
                await store.CompleteRecordingAsync(id, StoreSamples.Completion(at) with
                {
                    Pauses = Enumerable.Range(0, g.Pauses).Select(i => new RecordingPause(TimeSpan.FromSeconds(10 * (i + 1)), TimeSpan.FromSeconds((10 * (i + 1)) + 5))).ToList(),
                    Opposition = g.Opposition is { } by ? new RecordingOpposition(by, at.AddSeconds(20)) : null,
                    FileSize = g.Size,
                    Status = RecordingStatus.Complete,
                });
                if (g.Played && at >= Month && at < Month.AddMonths(1))
                {
                    foreach (string actor in new[] { "qa", "mgr", "cli-user" })
                    {
                        await store.AppendAuditAsync(new AuditEvent(at, actor, AuditAction.Play, id, "quality"));
                    }
                }

                if (g.Erased)
                {
                    await eraser.EraseAsync(id, "retention", "retention deadline");
                }
            }

            generated.Add(g);
        }

        return generated;
    }

    private sealed record Generated
    {
        public DateTimeOffset Started { get; init; }

        public required string Campaign { get; init; }

        public bool Informed { get; init; }

        public bool Recorded { get; init; }

        public int Pauses { get; init; }

        public OppositionSource? Opposition { get; init; }

        public long Size { get; init; }

        public bool Played { get; init; }

        public bool Erased { get; init; }
    }
}
