using System.Diagnostics.Metrics;
using System.Reflection;
using System.Text;
using CallSwitch.Compliance.Kpi;

namespace CallSwitch.Server.Metrics;

/// <summary>
/// The compliance indicators (<see cref="KpiReport"/>, as <c>callswitch kpi</c> computes them) as
/// observable gauges of the switch's meter: every number the report holds becomes
/// <c>kpi.{name}</c> (<c>kpi.share_recorded</c>, <c>kpi.recordings_purged</c>…; a figure added to
/// the report later appears by itself), tagged <c>campaign</c> (<c>*</c> for all); the listens per
/// role are <c>kpi.listens</c> tagged <c>role</c> too. The reports cover the last
/// <see cref="Window"/> and are computed every <see cref="RefreshPeriod"/> on the host's clock,
/// never at scrape time: a scrape reads the last snapshot and costs the store nothing.
/// </summary>
/// <remarks>Thread-safe: the snapshot is replaced whole.</remarks>
public sealed class KpiGauges : IAsyncDisposable
{
    /// <summary>The period the gauges cover, ending now.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromDays(30);

    /// <summary>How often the reports are computed again.</summary>
    public static readonly TimeSpan RefreshPeriod = TimeSpan.FromMinutes(5);

    /// <summary>The campaign tag of the report over every campaign.</summary>
    public const string AllCampaigns = "*";

    private readonly IKpiSource _source;
    private readonly Func<IEnumerable<string>> _campaigns;
    private readonly TimeProvider _time;
    private readonly Action<Exception> _failed;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile IReadOnlyList<(string Campaign, KpiReport Report)> _reports = [];
    private ITimer? _timer;

    /// <summary>Creates the gauges on <paramref name="meter"/>; nothing is computed until <see cref="Start"/> or <see cref="RefreshAsync"/>.</summary>
    /// <param name="meter">The switch's meter.</param>
    /// <param name="source">The store computing the reports.</param>
    /// <param name="campaigns">The campaigns in force (read at each refresh).</param>
    /// <param name="time">The clock.</param>
    /// <param name="failed">Told when a refresh fails (the last snapshot stays).</param>
    public KpiGauges(Meter meter, IKpiSource source, Func<IEnumerable<string>> campaigns, TimeProvider time, Action<Exception> failed)
    {
        ArgumentNullException.ThrowIfNull(meter);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(campaigns);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(failed);
        _source = source;
        _campaigns = campaigns;
        _time = time;
        _failed = failed;
        foreach (PropertyInfo figure in typeof(KpiReport).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (figure.PropertyType == typeof(long))
            {
                var read = figure.GetMethod!.CreateDelegate<Func<KpiReport, long>>();
                meter.CreateObservableGauge($"kpi.{SnakeCase(figure.Name)}", () => Measure(read), null, $"KPI {figure.Name} over the last {Window.TotalDays:0} days");
            }
            else if (figure.PropertyType == typeof(double))
            {
                var read = figure.GetMethod!.CreateDelegate<Func<KpiReport, double>>();
                meter.CreateObservableGauge($"kpi.{SnakeCase(figure.Name)}", () => Measure(read), null, $"KPI {figure.Name} over the last {Window.TotalDays:0} days");
            }
        }

        meter.CreateObservableGauge("kpi.listens", Listens, "{listen}", $"Listens per role of the listener over the last {Window.TotalDays:0} days");
    }

    /// <summary>When the shown reports were computed; null before the first refresh.</summary>
    public DateTimeOffset? ComputedAt { get; private set; }

    /// <summary>Computes the reports now, then every <see cref="RefreshPeriod"/>.</summary>
    public void Start()
    {
        _ = RefreshQuietlyAsync();
        _timer = _time.CreateTimer(_ => _ = RefreshQuietlyAsync(), null, RefreshPeriod, RefreshPeriod);
    }

    /// <summary>Computes the reports of every campaign and of all together, over the last <see cref="Window"/>.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            DateTimeOffset now = _time.GetUtcNow();
            var reports = new List<(string, KpiReport)>
            {
                (AllCampaigns, await _source.ComputeKpiAsync(new KpiQuery(now - Window, now), cancellationToken).ConfigureAwait(false)),
            };
            foreach (string campaign in _campaigns().Distinct(StringComparer.Ordinal))
            {
                reports.Add((campaign, await _source.ComputeKpiAsync(new KpiQuery(now - Window, now, campaign), cancellationToken).ConfigureAwait(false)));
            }

            _reports = reports;
            ComputedAt = now;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _timer, null) is { } timer)
        {
            await timer.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>A report property's name as a metric's: <c>ShareRecorded</c> → <c>share_recorded</c>.</summary>
    public static string SnakeCase(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var text = new StringBuilder(name.Length + 4);
        for (int i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                text.Append('_');
            }

            text.Append(char.ToLowerInvariant(name[i]));
        }

        return text.ToString();
    }

    private async Task RefreshQuietlyAsync()
    {
        try
        {
            await RefreshAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A timer has no caller: say it, keep the last snapshot, try again next period.
            _failed(e);
        }
    }

    private IEnumerable<Measurement<T>> Measure<T>(Func<KpiReport, T> read)
        where T : struct =>
        _reports.Select(r => new Measurement<T>(read(r.Report), new KeyValuePair<string, object?>("campaign", r.Campaign))).ToArray();

    private IEnumerable<Measurement<long>> Listens() =>
        _reports.SelectMany(r => r.Report.ListensByRole.Select(l => new Measurement<long>(
            l.Value,
            new KeyValuePair<string, object?>("campaign", r.Campaign),
            new KeyValuePair<string, object?>("role", l.Key)))).ToArray();
}
