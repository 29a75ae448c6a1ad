using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace CallSwitch.Configuration;

/// <summary>Reads 'retention': the retention sidecar's interval and how long access bundles are kept.</summary>
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

        r.CheckKeys(m, "'retention'", "interval", "access_bundle_days");
        TimeSpan interval = d.Interval;
        if (r.String(m, "interval") is { } text)
        {
            if (ParseInterval(text) is { } parsed && parsed >= Shortest && parsed <= Longest)
            {
                interval = parsed;
            }
            else
            {
                r.Error(r.Child(m, "interval")!, $"'interval' must be a duration from 10s to 24h, as 90s, 15m or 1h (got '{text}')");
            }
        }

        int bundleDays = d.AccessBundleDays;
        if (r.String(m, "access_bundle_days") is { } days)
        {
            if (int.TryParse(days, NumberStyles.None, CultureInfo.InvariantCulture, out int parsed) && parsed is >= 1 and <= 90)
            {
                bundleDays = parsed;
            }
            else
            {
                r.Error(r.Child(m, "access_bundle_days")!, $"'access_bundle_days' must be a whole number of days from 1 to 90 (got '{days}')");
            }
        }

        return new RetentionConfig { Interval = interval, AccessBundleDays = bundleDays };
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
