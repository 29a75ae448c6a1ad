using System.Globalization;

namespace CallSwitch.LoadHarness.Cps;

/// <summary>
/// What SIPp's agent says about a CPS run: its statistics file (<c>-trace_stat</c>, the last
/// cumulative line) and every set-up time it measured (<c>-trace_rtt</c>: from the first INVITE to
/// the 200, the scenario's rtd "setup").
/// </summary>
internal sealed record SippFigures
{
    public long Created { get; init; }

    public long Successful { get; init; }

    public long Failed { get; init; }

    /// <summary>Set-up times in milliseconds, sorted.</summary>
    public double[] SetupMs { get; init; } = [];

    /// <summary>Seconds between the first and the last set-up that completed.</summary>
    public double SetupSpanSeconds { get; init; }

    public double Percentile(double p) =>
        SetupMs.Length == 0 ? double.NaN : SetupMs[Math.Clamp((int)Math.Ceiling(p / 100 * SetupMs.Length) - 1, 0, SetupMs.Length - 1)];

    /// <summary>Set-ups completed per second between the first and the last.</summary>
    public double SetupsPerSecond => SetupSpanSeconds > 0 ? (SetupMs.Length - 1) / SetupSpanSeconds : double.NaN;

    /// <summary>Reads the files SIPp wrote; throws when they are missing (SIPp did not run as asked).</summary>
    public static SippFigures Read(string statFile, string rttFile)
    {
        string[] lines = File.ReadAllLines(statFile).Where(l => l.Length > 0).ToArray();
        if (lines.Length < 2)
        {
            throw new InvalidOperationException($"SIPp's statistics file {statFile} has no figures");
        }

        string[] header = lines[0].Split(';');
        string[] last = lines[^1].Split(';');
        long Field(string name)
        {
            int i = Array.IndexOf(header, name);
            return i >= 0 && i < last.Length && long.TryParse(last[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out long v)
                ? v
                : throw new InvalidOperationException($"SIPp's statistics file {statFile} has no {name}");
        }

        // Date_ms;response_time_ms;rtd_no
        var times = new List<(double At, double Ms)>();
        foreach (string line in File.ReadLines(rttFile).Skip(1))
        {
            string[] parts = line.Split(';');
            if (parts.Length >= 2 &&
                double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double at) &&
                double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double ms))
            {
                times.Add((at, ms));
            }
        }

        double span = times.Count > 1 ? (times.Max(t => t.At) - times.Min(t => t.At)) / 1000 : 0;
        return new SippFigures
        {
            Created = Field("TotalCallCreated"),
            Successful = Field("SuccessfulCall(C)"),
            Failed = Field("FailedCall(C)"),
            SetupMs = [.. times.Select(t => t.Ms).Order()],
            SetupSpanSeconds = span,
        };
    }
}
