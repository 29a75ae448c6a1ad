using System.Globalization;

namespace CallSwitch.LoadHarness.Memory;

/// <summary>
/// One read of the switch's <c>/metrics</c> (Prometheus text): each sample by its name and labels
/// as written (<c>callswitch_gc_collections{generation="0"}</c>), comments skipped.
/// </summary>
internal sealed class MetricsScrape
{
    private readonly Dictionary<string, double> _samples;

    private MetricsScrape(Dictionary<string, double> samples) => _samples = samples;

    /// <summary>Reads <paramref name="metrics"/>; an error says why in one line.</summary>
    public static async Task<MetricsScrape> ReadAsync(HttpClient http, Uri metrics, CancellationToken cancel)
    {
        try
        {
            return Parse(await http.GetStringAsync(metrics, cancel).ConfigureAwait(false));
        }
        catch (HttpRequestException e)
        {
            throw new InvalidOperationException($"the switch's metrics at {metrics} could not be read: {e.Message}", e);
        }
    }

    /// <summary>
    /// Parses the text format: a sample line is the name, its labels in braces if any, a space,
    /// the value (and an optional timestamp, ignored).
    /// </summary>
    public static MetricsScrape Parse(string text)
    {
        var samples = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (string raw in text.Split('\n'))
        {
            string line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            // Label values may hold spaces: the key ends after the closing brace when there is one.
            int close = line.IndexOf('}', StringComparison.Ordinal);
            int space = line.IndexOf(' ', close < 0 ? 0 : close);
            if (space <= 0)
            {
                continue;
            }

            string value = line[(space + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
            samples[line[..space]] = value switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                _ => double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture),
            };
        }

        return new MetricsScrape(samples);
    }

    /// <summary>The sample <paramref name="key"/> (name and labels as exported), or NaN when absent.</summary>
    public double this[string key] => _samples.TryGetValue(key, out double v) ? v : double.NaN;

    /// <summary>Every sample of <paramref name="name"/> with its labels' text (<c>le="0.001"</c>).</summary>
    public IEnumerable<(string Labels, double Value)> Series(string name) =>
        _samples
            .Where(s => s.Key.StartsWith(name + "{", StringComparison.Ordinal))
            .Select(s => (s.Key[(name.Length + 1)..^1], s.Value));
}
