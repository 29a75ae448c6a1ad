using System.Globalization;

namespace CallSwitch.Server.Cli;

/// <summary>The <c>--from</c>/<c>--to</c> pair of the search commands: UTC dates or instants, a bare date as --to including that whole day.</summary>
internal static class CliDates
{
    /// <summary>Reads the range; on a bad value prints the reason and returns false.</summary>
    public static bool TryRange(string? from, string? to, TextWriter error, out DateTimeOffset? start, out DateTimeOffset? before)
    {
        start = null;
        before = null;
        foreach ((string name, string? text, bool end) in new[] { ("--from", from, false), ("--to", to, true) })
        {
            if (text is null)
            {
                continue;
            }

            if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset instant))
            {
                error.WriteLine($"{name}: not a date: {text} (2026-03-01 or 2026-03-01T14:00:00Z)");
                return false;
            }

            // A bare date as --to includes that whole day.
            bool dateOnly = DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);
            if (end)
            {
                before = dateOnly ? instant.AddDays(1) : instant;
            }
            else
            {
                start = instant;
            }
        }

        return true;
    }
}
