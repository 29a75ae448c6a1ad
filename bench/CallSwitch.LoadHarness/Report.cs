using System.Globalization;
using CallSwitch.LoadHarness.Memory;
using CallSwitch.LoadHarness.Recording;
using CallSwitch.LoadHarness.Rtp;

namespace CallSwitch.LoadHarness;

/// <summary>Prints a run's figures: a per-direction table, the switch's cost, and one Markdown row for bench/README.md.</summary>
internal static class Report
{
    public static void Print(LoadResult r, TextWriter w)
    {
        var c = CultureInfo.InvariantCulture;
        LoadOptions o = r.Options;
        w.WriteLine();
        w.WriteLine(string.Create(c, $"=== {(o.Direct ? "BASELINE (no switch)" : "switch")} — {r.CallsTalking}/{o.Calls} calls talking, window {r.WindowSeconds:F1} s, 50 packets/s per stream ==="));
        w.WriteLine();
        w.WriteLine("direction            |      sent |  received |    lost |  loss % | p50 ms | p99 ms | max ms");
        w.WriteLine("---------------------|-----------|-----------|---------|---------|--------|--------|-------");
        Row(w, "agent -> prospect", r.AgentToProspect);
        Row(w, "prospect -> agent", r.ProspectToAgent);
        w.WriteLine();
        if (!o.Direct)
        {
            w.WriteLine(string.Create(c, $"switch CPU in window      {r.SwitchCpu.TotalMilliseconds,10:F0} ms  = {r.SwitchCpuPercentOfOneCore:F1} % of one core"));
            w.WriteLine(string.Create(c, $"switch CPU per call-second {r.SwitchCpuMsPerCallSecond,9:F3} ms   (target <= 1 ms)"));
            w.WriteLine(string.Create(c, $"  of which idle cost      {r.SwitchIdleMsPerSecond,10:F1} ms per second (before the calls {r.SwitchIdleBeforeMsPerSecond:F1}); net of it {r.SwitchNetCpuMsPerCallSecond:F3} ms per call-second"));
            w.WriteLine(string.Create(c, $"switch CPU per packet     {r.SwitchCpuMicrosecondsPerPacket,10:F1} µs  (relayed packets, both directions)"));
            w.WriteLine(string.Create(c, $"call set-up               {r.SetupCpuMsPerCall,10:F2} ms switch CPU per call, net of idle ({r.SetupSeconds:F1} s for all calls, incl. their first media)"));
            w.WriteLine(string.Create(c, $"tear-down                 {r.TeardownCpuMsPerCall,10:F2} ms switch CPU per call, net of idle (BYE both legs)"));
            w.WriteLine(string.Create(c, $"switch threads / RSS      {r.SwitchThreads,10} / {r.SwitchRssBytes / (1024 * 1024)} MiB"));
            w.WriteLine("switch CPU by thread (window; in brackets 3 s idle after the calls):");
            foreach (var (name, count, ms) in r.SwitchThreadsInWindow.Take(8))
            {
                double idle = r.SwitchThreadsIdle.Where(t => t.Name == name).Sum(t => t.Ms);
                w.WriteLine(string.Create(c, $"    {name,-18} x{count,-3} {ms,8:F0} ms  {100.0 * ms / r.SwitchCpu.TotalMilliseconds,5:F1} %   ({idle:F0} ms idle)"));
            }

            if (r.Memory is { } memory)
            {
                PrintMemory(memory, w);
            }

            if (r.Recordings is { } rec)
            {
                PrintRecordings(r, rec, w);
            }

            w.WriteLine(string.Create(c, $"store writer latency      {r.StoreWriterLatency}   (switch's whole run, queued to committed)"));
            if (r.Purge is { } purge)
            {
                w.WriteLine(string.Create(c, $"retention sidecar         {purge}"));
            }

            if (o.Monitored > 0)
            {
                PrintSupervision(r, w);
            }

            w.WriteLine(string.Create(c, $"SIPp CPU in window        {r.SippCpu.TotalMilliseconds,10:F0} ms   (agent + trunk)"));
            w.WriteLine(string.Create(c, $"SIPp outcome              {r.SippOutcome}"));
        }

        w.WriteLine(string.Create(c, $"harness CPU in window     {r.HarnessCpu.TotalMilliseconds,10:F0} ms  = {100.0 * r.HarnessCpu.TotalSeconds / r.WindowSeconds:F1} % of one core"));
        w.WriteLine(string.Create(c, $"machine busy in window    {r.MachineBusyPercent,10:F1} %   (all cores, everything running)"));
        w.WriteLine(string.Create(c, $"misrouted / send errors / resyncs  {r.Misrouted} / {r.SendErrors} / {r.SendResyncs}{(r.FirstMisrouted is null ? string.Empty : "; first: " + r.FirstMisrouted)}"));
        w.WriteLine(string.Create(c, $"harness stalls in window  sender {r.SenderMaxGapMs:F1} ms, receiver {r.ReceiverMaxGapMs:F1} ms (longest gap; a large one inflates max latency)"));
        string verdict = o.Direct ? "baseline" :
            r.Recordings is { } recorded ? RecordedVerdict(r, recorded) :
            o.Monitored > 0 ? MonitoredVerdict(r) :
            r.LossPercent < 0.1 && r.SwitchCpuMsPerCallSecond <= 1.0 && r.CallsTalking == o.Calls ? "MEETS target (<0.1 % loss, <=1 ms CPU per call-second)" : "MISSES target (<0.1 % loss, <=1 ms CPU per call-second)";
        w.WriteLine(string.Create(c, $"verdict                   {verdict}"));
        if (r.SentShare < 0.95)
        {
            // The harness fell behind its own schedule: the switch saw less than the load asked for.
            w.WriteLine(string.Create(c, $"DISTURBED                 the harness sent only {100 * r.SentShare:F0} % of its packets (machine overloaded): run again on a quieter machine"));
        }
        w.WriteLine();
        DirectionStats a = r.AgentToProspect;
        DirectionStats p = r.ProspectToAgent;
        if (r.Memory is { } m)
        {
            PrintMemoryRow(r, m, w);
            w.WriteLine();
        }

        w.WriteLine("| calls | window s | switch CPU ms/call-s (net of idle) | switch CPU % of a core | µs/packet | loss % (a→p / p→a) | p50 ms | p99 ms | max ms | set-up ms/call | machine busy % |");
        w.WriteLine(string.Create(c, $"| {r.CallsTalking} | {r.WindowSeconds:F0} | {(o.Direct ? "–" : r.SwitchCpuMsPerCallSecond.ToString("F3", c) + " (" + r.SwitchNetCpuMsPerCallSecond.ToString("F3", c) + ")")} | {(o.Direct ? "–" : r.SwitchCpuPercentOfOneCore.ToString("F0", c))} | {(o.Direct ? "–" : r.SwitchCpuMicrosecondsPerPacket.ToString("F1", c))} | {a.LossPercent:F3} / {p.LossPercent:F3} | {Both(a, p, h => h.Percentile(0.5))} | {Both(a, p, h => h.Percentile(0.99))} | {Both(a, p, h => h.MaxMilliseconds)} | {(o.Direct ? "–" : r.SetupCpuMsPerCall.ToString("F2", c))} | {r.MachineBusyPercent:F0} |"));
    }

    private static void PrintMemory(MemoryFigures m, TextWriter w)
    {
        var c = CultureInfo.InvariantCulture;
        RssSeries rss = m.Window;
        w.WriteLine("memory (the switch's VmRSS from /proc/PID/status):");
        w.WriteLine(string.Create(c, $"    rss idle               {MiB(m.IdleRssBytes)} MiB (before the first call, after start-up and 4 s idle)"));
        w.WriteLine(string.Create(c, $"    rss in window          min {MiB(rss.Min)} / median {MiB(rss.Median)} / max {MiB(rss.Max)} MiB ({rss.Count} samples, every {m.SampleSeconds:F0} s)"));
        w.WriteLine(string.Create(c, $"    rss slope              {rss.SlopeMiBPerMinute:+0.000;-0.000} MiB per minute over the window (least squares)"));
        w.WriteLine(string.Create(c, $"    rss first / last       {MiB(rss.FirstStretchMedian)} / {MiB(rss.LastStretchMedian)} MiB (medians of the window's first and last {rss.StretchSeconds:F0} s; {MiB(rss.LastStretchMedian - rss.FirstStretchMedian):+0.0;-0.0} MiB)"));
        w.WriteLine(string.Create(c, $"    rss after the calls    {MiB(m.EndRssBytes)} MiB (every call ended, 5 s idle)"));
        w.WriteLine(string.Create(c, $"    bytes per call         {m.BytesPerCall:F0} B = {m.BytesPerCall / 1024:F1} KiB ((median in window − idle) / {m.Calls} calls)"));
        if (m.Gc is not { } gc)
        {
            w.WriteLine("    gc in window           NOT READ: " + (m.GcProblem ?? "no metrics"));
            return;
        }

        w.WriteLine(string.Create(c, $"    gc collections         gen0 {gc.Gen0}, gen1 {gc.Gen1}, gen2 {gc.Gen2} in the window ({gc.WindowSeconds:F1} s between the two reads of /metrics)"));
        w.WriteLine(string.Create(c, $"    gc pauses              total {gc.PauseMs:F1} ms = {gc.PausePercent:F3} % of the window; longest {gc.LongestText}{(gc.Pauses == 0 ? string.Empty : " ms")}; {gc.Pauses} pauses timed for {gc.Collections} collections (a background gen2 pauses twice)"));
        w.WriteLine(string.Create(c, $"    gc heap                {MiB(gc.HeapStartBytes)} -> {MiB(gc.HeapEndBytes)} MiB after the last collection (window start -> end), {MiB(gc.CommittedEndBytes)} MiB committed; {gc.AllocatedBytes / (1024.0 * 1024.0) / gc.WindowSeconds:F2} MiB allocated per second"));
    }

    private static string MiB(long bytes) => (bytes / (1024.0 * 1024.0)).ToString("F1", CultureInfo.InvariantCulture);

    private static void PrintRecordings(LoadResult r, RecordingFigures rec, TextWriter w)
    {
        var c = CultureInfo.InvariantCulture;
        w.WriteLine("recordings (read back from the metadata store and the spool after the switch stopped):");
        w.WriteLine(string.Create(c, $"    encoder                {rec.Encoder}"));
        w.WriteLine(string.Create(c, $"    call rows              {rec.CallRows} ({rec.CallsByEnd})"));
        w.WriteLine(string.Create(c, $"    rows                   {rec.Rows} for {r.CallsTalking} calls: {rec.Complete} complete, {rec.Incomplete} incomplete, {rec.InProgress} in progress; {rec.Failures} failure(s) in the switch log"));
        w.WriteLine(string.Create(c, $"    dropped by recorders   {rec.DroppedPackets} packets (queues full: the relay never waits)   = {100.0 * rec.DroppedPackets / Math.Max(1, r.Sent):F4} % of the window's packets"));
        w.WriteLine(string.Create(c, $"    rows / files checked   {rec.RowsNotFinished} row(s) unfinished, {rec.FilesBad} file(s) missing or not matching size + SHA-256"));
        w.WriteLine(string.Create(c, $"    length                 median {rec.MedianDurationSeconds:F2} s; largest |audio − (end − start)| {rec.MaxDurationDrift.TotalMilliseconds:F0} ms"));
        w.WriteLine(string.Create(c, $"    spool                  {rec.SpoolFiles} files, {rec.SpoolBytes / 1e6:F1} MB ({rec.StoredBytes / 1e6:F1} MB in the rows; {(rec.Rows == 0 || rec.MedianDurationSeconds <= 0 ? double.NaN : rec.StoredBytes * 8.0 / 1000 / rec.Rows / rec.MedianDurationSeconds):F1} kbit/s per recording)"));
        w.WriteLine(string.Create(c, $"    exported + checked     {rec.SamplesValid}/{rec.Sampled} valid (callswitch recordings export, opusinfo, ffprobe: Opus, 2 channels, the row's length ± 100 ms)"));
        w.WriteLine(string.Create(c, $"    thread-pool CPU        {r.ThreadPoolMsPerCallSecond:F3} ms per call-second (recorder pumps, timers, signalling)"));
        foreach (string problem in rec.Problems)
        {
            w.WriteLine("    problem: " + problem);
        }
    }

    /// <summary>One Markdown row of the memory figures (bench/README.md's memory table).</summary>
    private static void PrintMemoryRow(LoadResult r, MemoryFigures m, TextWriter w)
    {
        var c = CultureInfo.InvariantCulture;
        GcWindow? gc = m.Gc;
        w.WriteLine("| calls | recorded | window s | RSS idle MiB | RSS median in window MiB | bytes per call | RSS slope MiB/min | first → last MiB | gen0 / gen1 / gen2 | GC pause ms (% of window) | longest pause ms |");
        w.WriteLine(string.Create(c, $"| {r.CallsTalking} | {(r.Options.Record ? "yes" : "no")} | {r.WindowSeconds:F0} | {MiB(m.IdleRssBytes)} | {MiB(m.Window.Median)} | {m.BytesPerCall:F0} | {m.Window.SlopeMiBPerMinute:+0.000;-0.000} | {MiB(m.Window.FirstStretchMedian)} → {MiB(m.Window.LastStretchMedian)} | {(gc is null ? "–" : $"{gc.Gen0} / {gc.Gen1} / {gc.Gen2}")} | {(gc is null ? "–" : gc.PauseMs.ToString("F1", c) + " (" + gc.PausePercent.ToString("F3", c) + " %)")} | {gc?.LongestText ?? "–"} |"));
    }

    private static void PrintSupervision(LoadResult r, TextWriter w)
    {
        var c = CultureInfo.InvariantCulture;
        MixedStreams mixed = r.Mixed!;
        w.WriteLine(string.Create(c, $"supervision: {r.Options.Monitored} of the calls monitored ({r.Options.Mode}), each by its own supervisor (SIPp + a harness socket)"));
        w.WriteLine(string.Create(c, $"    mixed streams heard    {mixed.Streams} of {r.MixedStreamsExpected} (supervisors{(r.Options.Mode == "whisper" ? " + whispered-to agents" : string.Empty)})"));
        w.WriteLine(string.Create(c, $"    mixed packets          {mixed.Received} received, {mixed.Missing} missing by sequence number, {mixed.SkippedTicks} ticks skipped by timestamp ({50.0 * mixed.Streams * r.WindowSeconds:F0} expected at 50/s)"));
        w.WriteLine(string.Create(c, $"    sent into the mix      {r.SupervisorsSent} by the supervisors{(r.Options.Mode == "whisper" ? ", " + r.SentIntoMix.ToString(c) + " by the whispered-to agents' prospects" : " (listen: dropped undecoded)")}"));
    }

    private static string MonitoredVerdict(LoadResult r)
    {
        MixedStreams mixed = r.Mixed!;
        bool ok = r.LossPercent < 0.1 && r.CallsTalking == r.Options.Calls && mixed.Streams == r.MixedStreamsExpected && mixed.Missing == 0 && mixed.SkippedTicks == 0 && !r.SippOutcome.Contains("killed", StringComparison.Ordinal);
        return string.Create(CultureInfo.InvariantCulture, $"{(ok ? "MEETS" : "MISSES")} target (every call relayed with <0.1 % loss, every monitored call's mixes complete: {mixed.Missing} missing, {mixed.SkippedTicks} skipped)");
    }

    private static string RecordedVerdict(LoadResult r, RecordingFigures rec)
    {
        bool all = r.CallsTalking == r.Options.Calls && rec.Rows == r.CallsTalking && rec.Complete == rec.Rows && rec.RowsNotFinished == 0 && rec.FilesBad == 0 && rec.SamplesValid == rec.Sampled;
        return r.LossPercent < 0.1 && all
            ? "MEETS target (every call relayed with <0.1 % loss and recorded complete)"
            : string.Create(CultureInfo.InvariantCulture, $"MISSES target (relay loss {r.LossPercent:F3} %, {rec.Complete}/{r.Options.Calls} recordings complete, {rec.DroppedPackets} packets dropped by the recorders)");
    }

    private static void Row(TextWriter w, string name, DirectionStats s) =>
        w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-21}|{s.Sent,10} |{s.Received,10} |{s.Lost,8} |{s.LossPercent,8:F3} |{s.Latency.Percentile(0.5),7:F2} |{s.Latency.Percentile(0.99),7:F2} |{s.Latency.MaxMilliseconds,7:F2}"));

    private static string Both(DirectionStats a, DirectionStats p, Func<LatencyHistogram, double> f) =>
        string.Create(CultureInfo.InvariantCulture, $"{f(a.Latency):F2} / {f(p.Latency):F2}");
}
