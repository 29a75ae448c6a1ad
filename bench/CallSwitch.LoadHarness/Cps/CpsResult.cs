using System.Globalization;
using CallSwitch.LoadHarness.Recording;

namespace CallSwitch.LoadHarness.Cps;

/// <summary>A CPS run's figures, and how they are printed.</summary>
internal sealed record CpsResult
{
    public required LoadOptions Options { get; init; }

    public required SippFigures Sipp { get; init; }

    /// <summary>From SIPp's agent starting to its exit (every call set up, held and hung up).</summary>
    public double Seconds { get; init; }

    /// <summary>The switch's user + system CPU over <see cref="Seconds"/> (/proc/PID/stat).</summary>
    public TimeSpan SwitchCpu { get; init; }

    public double SwitchIdleMsPerSecond { get; init; }

    public TimeSpan SippCpu { get; init; }

    public double MachineBusyPercent { get; init; }

    public long NoticePackets { get; init; }

    public string SippOutcome { get; init; } = "-";

    public RecordingFigures? Recordings { get; init; }

    /// <summary>Switch CPU per successful call (set-up, the short call, BYE), net of the idle rate.</summary>
    public double CpuMsPerCall => (SwitchCpu.TotalMilliseconds - (SwitchIdleMsPerSecond * Seconds)) / Math.Max(1, Sipp.Successful);

    public void Print(TextWriter w)
    {
        var c = CultureInfo.InvariantCulture;
        LoadOptions o = Options;
        SippFigures s = Sipp;
        w.WriteLine();
        w.WriteLine(string.Create(c, $"=== CPS — target {o.Cps}/s for {o.DurationSeconds} s, calls of {o.CallMilliseconds} ms, recording {(o.Record ? "on" : "off")} ==="));
        w.WriteLine(string.Create(c, $"calls                     {s.Created} placed, {s.Successful} successful, {s.Failed} failed ({SippOutcome})"));
        w.WriteLine(string.Create(c, $"set-ups per second        {s.SetupsPerSecond,10:F1}  ({s.SetupMs.Length} set-ups over {s.SetupSpanSeconds:F1} s)"));
        w.WriteLine(string.Create(c, $"set-up latency            p50 {s.Percentile(50):F1} ms, p99 {s.Percentile(99):F1} ms, max {s.Percentile(100):F1} ms (first INVITE to 200, 407 round included)"));
        w.WriteLine(string.Create(c, $"switch CPU                {SwitchCpu.TotalMilliseconds,10:F0} ms over {Seconds:F1} s = {SwitchCpu.TotalMilliseconds / Seconds / 10:F1} % of one core (idle {SwitchIdleMsPerSecond:F1} ms/s)"));
        w.WriteLine(string.Create(c, $"switch CPU per call       {CpuMsPerCall,10:F2} ms  (set-up + call + BYE, net of idle; target <= 2 ms recorded)"));
        w.WriteLine(string.Create(c, $"SIPp CPU (both)           {SippCpu.TotalMilliseconds,10:F0} ms; machine {MachineBusyPercent:F0} % busy; {NoticePackets} notice packets drained"));
        if (Recordings is { } r)
        {
            w.WriteLine(string.Create(c, $"recordings                {r.Rows} rows: {r.Complete} complete, {r.Incomplete} incomplete, {r.InProgress} in progress, {r.RowsNotFinished} unfinished rows, {r.FilesBad} bad files; {r.Failures} not started or failed; samples {r.SamplesValid}/{r.Sampled} valid"));
            foreach (string problem in r.Problems.Take(5))
            {
                w.WriteLine("    " + problem);
            }
        }

        w.WriteLine();
        w.WriteLine("bench/README.md row (current figure):");
        w.WriteLine(string.Create(c, $"**{s.SetupsPerSecond:F0}** set-ups/s achieved of {o.Cps} asked, {s.Failed} failed of {s.Created}; set-up p50 {s.Percentile(50):F1} ms, p99 {s.Percentile(99):F1} ms; **{CpuMsPerCall:F2} ms** switch CPU per call ({SwitchCpu.TotalMilliseconds / Seconds / 10:F0} % of a core); machine {MachineBusyPercent:F0} % busy"));
    }
}
