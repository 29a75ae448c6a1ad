using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace CallSwitch.Configuration;

/// <summary>Reads 'retention': the retention sidecar's interval.</summary>
internal static class RetentionSectionReader
{
    /// <summary>The shortest interval accepted: a purge run every few seconds would only load the store.</summary>
    private static readonly TimeSpan Shortest = TimeSpan.FromSeconds(10);

    /// <summary>The longest: a day, so that a shortened retention never waits longer than that.</summary>
    private static readonly TimeSpan Longest = TimeSpan.FromDays(1);

    public static RetentionConfig Read(YamlNodeReader r, YamlMappingNode? m)
    {
        var d = new RetentionConfig();
        if (m is null)
        {
            return d;
        }

        r.CheckKeys(m, "'retention'", "interval");
        string? text = r.String(m, "interval");
        if (text is null)
        {
            return d;
        }

        if (ParseInterval(text) is not { } interval || interval < Shortest || interval > Longest)
        {
            r.Error(r.Child(m, "interval")!, $"'interval' must be a duration from 10s to 24h, as 90s, 15m or 1h (got '{text}')");
            return d;
        }

        return new RetentionConfig { Interval = interval };
    }

    /// <summary>The interval as written in YAML: the largest whole unit (<c>15m</c>, <c>1h</c>, <c>90s</c>).</summary>
    public static string Format(TimeSpan interval) =>
        interval.TotalSeconds % 3600 == 0 ? $"{interval.TotalHours.ToString(CultureInfo.InvariantCulture)}h"
        : interval.TotalSeconds % 60 == 0 ? $"{interval.TotalMinutes.ToString(CultureInfo.InvariantCulture)}m"
        : $"{((long)interval.TotalSeconds).ToString(CultureInfo.InvariantCulture)}s";

    private static TimeSpan? ParseInterval(string text)
    {
        if (text.Length < 2 || !int.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out int amount))
        {
            return null;
        }

        return text[^1] switch
        {
            's' => TimeSpan.FromSeconds(amount),
            'm' => TimeSpan.FromMinutes(amount),
            'h' => TimeSpan.FromHours(amount),
            _ => null,
        };
    }
}
