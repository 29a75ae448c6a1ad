using System.Diagnostics.Metrics;
using CallSwitch.Compliance.Kpi;
using CallSwitch.Server.Metrics;
using Microsoft.Extensions.Time.Testing;

namespace CallSwitch.Server.Tests.Metrics;

/// <summary>The KPI report as gauges: every figure per campaign and for all, refreshed on the clock, read without computing.</summary>
public sealed class KpiGaugesTests : IAsyncDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero));
    private readonly Meter _meter = new("kpi-test-" + Guid.NewGuid().ToString("N"));
    private readonly FakeKpiSource _source = new();

    public async ValueTask DisposeAsync()
    {
        await Task.Yield();
        _meter.Dispose();
    }

    [Fact]
    public async Task EveryFigureOfTheReportIsAGaugePerCampaignAndTheListensPerRole()
    {
        await using var gauges = new KpiGauges(_meter, _source, () => ["spring"], _time, e => Assert.Fail(e.ToString()));
        Assert.Empty(Collect());

        await gauges.RefreshAsync();

        Dictionary<string, double> values = Collect();
        Assert.Equal(10, values["kpi.calls{campaign=*}"]);
        Assert.Equal(4, values["kpi.calls{campaign=spring}"]);
        Assert.Equal(0.3, values["kpi.share_recorded{campaign=*}"], 6);
        Assert.Equal(0.5, values["kpi.share_informed{campaign=spring}"], 6);
        Assert.Equal(2, values["kpi.recordings_purged{campaign=spring}"]);
        Assert.Equal(7, values["kpi.listens{campaign=*,role=quality}"]);

        // Every long and double of the report is there (a figure added to the report shows up by itself).
        int figures = typeof(KpiReport).GetProperties().Count(p => p.PropertyType == typeof(long) || p.PropertyType == typeof(double));
        Assert.Equal(figures * 2, values.Keys.Count(k => k.StartsWith("kpi.", StringComparison.Ordinal) && !k.StartsWith("kpi.listens", StringComparison.Ordinal)));
        Assert.Equal(new KpiQuery(_time.GetUtcNow() - KpiGauges.Window, _time.GetUtcNow(), "spring"), _source.Queries[^1]);
    }

    [Fact]
    public async Task TheReportsAreComputedAtStartThenEachPeriodNeverAtCollection()
    {
        await using var gauges = new KpiGauges(_meter, _source, () => ["spring"], _time, e => Assert.Fail(e.ToString()));
        gauges.Start();
        await Until(() => _source.Queries.Count == 2);

        Collect();
        Collect();
        Assert.Equal(2, _source.Queries.Count);

        _source.Calls = 12;
        _time.Advance(KpiGauges.RefreshPeriod);
        await Until(() => _source.Queries.Count == 4 && Collect().GetValueOrDefault("kpi.calls{campaign=*}") == 12);
        Assert.Equal(_time.GetUtcNow(), gauges.ComputedAt);
    }

    [Fact]
    public void ReportNamesBecomeSnakeCase()
    {
        Assert.Equal("share_recorded", KpiGauges.SnakeCase("ShareRecorded"));
        Assert.Equal("calls", KpiGauges.SnakeCase("Calls"));
    }

    private Dictionary<string, double> Collect()
    {
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, _meter))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            string labels = string.Join(',', tags.ToArray().OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => $"{t.Key}={t.Value}"));
            values[$"{instrument.Name}{{{labels}}}"] = value;
        }

        listener.SetMeasurementEventCallback<long>((i, v, t, _) => Record(i, v, t));
        listener.SetMeasurementEventCallback<double>((i, v, t, _) => Record(i, v, t));
        listener.Start();
        listener.RecordObservableInstruments();
        return values;
    }

    private static async Task Until(Func<bool> condition)
    {
        for (int i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition(), "the refresh did not happen within 5 s");
    }

    private sealed class FakeKpiSource : IKpiSource
    {
        public List<KpiQuery> Queries { get; } = [];

        public long Calls { get; set; } = 10;

        public Task<KpiReport> ComputeKpiAsync(KpiQuery query, CancellationToken cancellationToken = default)
        {
            lock (Queries)
            {
                Queries.Add(query);
            }

            KpiReport report = query.CampaignId is null
                ? new KpiReport { Query = query, Calls = Calls, CallsRecorded = 3, CallsInformed = 9, ListensByRole = new Dictionary<string, long> { ["quality"] = 7 } }
                : new KpiReport { Query = query, Calls = 4, CallsRecorded = 1, CallsInformed = 2, RecordingsPurged = 2 };
            return Task.FromResult(report);
        }
    }
}
