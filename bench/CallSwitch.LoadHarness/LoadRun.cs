using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using CallSwitch.LoadHarness.Memory;
using CallSwitch.LoadHarness.Processes;
using CallSwitch.LoadHarness.Recording;
using CallSwitch.LoadHarness.Rtp;
using CallSwitch.LoadHarness.Setup;

namespace CallSwitch.LoadHarness;

/// <summary>
/// One run: writes the temporary config, checks it, starts the switch, SIPp's trunk (UAS) and
/// agent (UAC), streams RTP both ways on every call, measures over the window, and stops every
/// process it started, whatever happens.
/// </summary>
internal sealed class LoadRun : IDisposable
{
    private const string Number = "+33612345678";
    private readonly LoadOptions _o;
    private readonly TextWriter _out;
    private readonly string _dir;
    private readonly ChildProcessSet _children = new();
    private double _idleBeforeMsPerSecond;
    private long _idleRss;
    private Uri? _metrics;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private string _exe = string.Empty;
    private string _config = string.Empty;

    // A fresh master key per run (or the backlog's), handed to the switch and to the CLI only.
    private readonly string _masterKeyHex;
    private readonly string _data;
    private readonly string _spool;
    private ChildProcess? _sidecar;
    private long _purged;
    private Board.BoardClients? _board;

    public LoadRun(LoadOptions options, TextWriter output)
    {
        _o = options;
        _out = output;
        _dir = Directory.CreateTempSubdirectory("callswitch-load-").FullName;
        _masterKeyHex = options.Backlog is { } backlog
            ? File.ReadAllText(Path.Combine(backlog, "data", "master.key")).Trim()
            : Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        _data = options.Backlog is null ? Path.Combine(_dir, SwitchConfig.Data) : Path.Combine(options.Backlog, "data");
        _spool = options.Backlog is null ? Path.Combine(_dir, SwitchConfig.Spool) : Path.Combine(options.Backlog, "spool");
    }

    public string Folder => _dir;

    public async Task<LoadResult> RunAsync(CancellationToken cancel)
    {
        using var gen = new RtpLoadGenerator(_o.Calls, receiveBufferBytes: 256 * 1024, supervisors: _o.Monitored, mixedAgents: _o.Mode == "whisper" ? _o.Monitored : 0, silent: _o.Silent) { Relatch = _o.ChurnSeconds > 0 };
        if (_o.Direct)
        {
            gen.LinkDirectly();
            gen.Start();
            return await MeasureAsync(gen, null, [], null, cancel).ConfigureAwait(false);
        }

        int sipPort = SwitchSetup.FreeUdpPort();
        int trunkPort = SwitchSetup.FreeUdpPort();
        int rtpMax = _o.RtpPortMin + (4 * _o.Calls) + (2 * _o.Monitored) + 200;
        string config = _config = SwitchConfig.PrepareConfigFolder(_dir);
        int? consolePort = _o.ConsoleClients > 0 ? SwitchSetup.FreeUdpPort() : null;
        int apiPort = SwitchSetup.FreeTcpPort();
        _metrics = new Uri($"http://127.0.0.1:{apiPort}/metrics");
        await File.WriteAllTextAsync(config, SwitchConfig.Yaml(sipPort, trunkPort, _o.RtpPortMin, rtpMax & ~1, _o.Calls + 10, _o.LogLevel, _o.Record, _o.Monitored, _spool, _data, consolePort, apiPort), cancel).ConfigureAwait(false);
        string exe = _exe = _o.SwitchPath ?? Path.Combine(AppContext.BaseDirectory, "callswitch");
        _out.WriteLine("config check: " + await SwitchSetup.CheckConfigAsync(exe, config, _dir).ConfigureAwait(false));
        if (consolePort is not null)
        {
            await RunCliAsync(exe, ["users", "add", BoardUser, "--role", "supervisor", "--config", config], BoardPassword + "\n").ConfigureAwait(false);
        }

        // One line per call: the harness's RTP port that SIPp writes into its SDP (and the agent's
        // account: the supervised calls are each placed by an agent of their own).
        await WriteInjectionAsync(Path.Combine(_dir, "agent.csv"), _o.Calls, i => $"{gen.AgentPort(i)};{SwitchConfig.AgentOf(i, _o.Monitored)};{Authentication(SwitchConfig.AgentOf(i, _o.Monitored))};").ConfigureAwait(false);
        await WriteInjectionAsync(Path.Combine(_dir, "trunk.csv"), _o.Calls, i => $"{gen.TrunkPort(i)};").ConfigureAwait(false);
        await WriteInjectionAsync(Path.Combine(_dir, "supervisor.csv"), _o.Monitored, j => $"{gen.SupervisorPort(j)};{SwitchConfig.SupervisorOf(j)};{Authentication(SwitchConfig.SupervisorOf(j))};{SwitchConfig.AgentOf(j, _o.Monitored)};").ConfigureAwait(false);
        int setupBudgetMs = (int)Math.Ceiling(1000.0 * _o.Calls / _o.Rate) + 10_000;
        int holdMs = setupBudgetMs + (1000 * (_o.WarmupSeconds + _o.HoldSeconds)) + 2000;
        // Churn: every call lasts ChurnSeconds and SIPp (at most N at a time) replaces it at once; it
        // is told to stop placing calls when the window closes.
        int callMs = _o.ChurnSeconds > 0 ? _o.ChurnSeconds * 1000 : holdMs;
        await WriteScenarioAsync("agent-load", new() { ["NUMBER"] = Number, ["HOLD_MS"] = callMs.ToString(CultureInfo.InvariantCulture) }).ConfigureAwait(false);
        await WriteScenarioAsync("trunk-load", []).ConfigureAwait(false);
        await WriteScenarioAsync("supervisor-load", new() { ["CODE"] = _o.Mode == "whisper" ? "*72" : "*71" }).ConfigureAwait(false);

        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var consoleListening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        ChildProcess sw = _children.Track(ChildProcess.Start("switch", exe, ["serve", "--config", config], _dir, Path.Combine(_dir, "switch.log"), new Dictionary<string, string> { [RecordingAudit.MasterKeyVariable] = _masterKeyHex }));
        sw.Line += line =>
        {
            if (line.Contains("Listening for SIP", StringComparison.Ordinal))
            {
                listening.TrySetResult();
            }

            if (line.Contains("Web console listening", StringComparison.Ordinal))
            {
                consoleListening.TrySetResult();
            }
        };
        Task exited = sw.WaitForExitAsync(TimeSpan.FromMinutes(30));
        Task first = await Task.WhenAny(listening.Task, exited, Task.Delay(TimeSpan.FromSeconds(60), cancel)).ConfigureAwait(false);
        if (first != listening.Task)
        {
            throw new InvalidOperationException("the switch did not start listening:\n" + sw.Tail);
        }

        _out.WriteLine($"switch pid {sw.Id} listening on udp 127.0.0.1:{sipPort}; trunk (SIPp UAS) on {trunkPort}; relay ports {_o.RtpPortMin}-{rtpMax}");
        if (consolePort is { } port)
        {
            // Signed in before anything is measured (each sign-in is a PBKDF2 of 600,000 rounds).
            if (await Task.WhenAny(consoleListening.Task, Task.Delay(TimeSpan.FromSeconds(30), cancel)).ConfigureAwait(false) != consoleListening.Task)
            {
                throw new InvalidOperationException("the web console did not start listening:\n" + sw.Tail);
            }

            _board = await Board.BoardClients.ConnectAsync(new Uri($"http://127.0.0.1:{port}/"), BoardUser, BoardPassword, _o.ConsoleClients, cancel).ConfigureAwait(false);
            _out.WriteLine($"{_board.Count} client(s) on the console's live board (127.0.0.1:{port})");
        }

        // The switch's cost with no call at all, before the first one (start-up work such as
        // tiered JIT may still run: the figure taken after the calls is the one used).
        await Task.Delay(1000, cancel).ConfigureAwait(false);
        (_idleBeforeMsPerSecond, _) = await MeasureIdleAsync(sw, cancel).ConfigureAwait(false);
        _idleRss = ProcStatus.Read(sw.Id).RssBytes;
        _out.WriteLine($"switch idle before the calls: {_idleBeforeMsPerSecond:F1} ms CPU per second, RSS {_idleRss / (1024.0 * 1024.0):F1} MiB; metrics at {_metrics}");
        gen.Start();
        TimeSpan limit = TimeSpan.FromMilliseconds(holdMs) + TimeSpan.FromSeconds(60);
        ChildProcess trunk = _children.Track(ChildProcess.Start("sipp-trunk", "sipp", SippArgs("trunk-load", "trunk.csv", trunkPort, limit, null), _dir, Path.Combine(_dir, "sipp-trunk.out")));
        await Task.Delay(300, cancel).ConfigureAwait(false);
        ChildProcess agent = _children.Track(ChildProcess.Start("sipp-agent", "sipp", SippArgs("agent-load", "agent.csv", SwitchSetup.FreeUdpPort(), limit, $"127.0.0.1:{sipPort}"), _dir, Path.Combine(_dir, "sipp-agent.out")));
        Func<List<ChildProcess>, CancellationToken, Task>? supervise = _o.Monitored == 0 ? null : (sipp, token) => SuperviseAsync(gen, sipPort, limit, sipp, token);
        return await MeasureAsync(gen, sw, [agent, trunk], supervise, cancel).ConfigureAwait(false);
    }

    /// <summary>
    /// Once every call talks: SIPp dials one supervision code per supervised call (its own
    /// supervisor, its own agent), and the window waits until every supervisor hears its mix.
    /// The supervisors then wait for the switch's BYE when their call ends.
    /// </summary>
    private async Task SuperviseAsync(RtpLoadGenerator gen, int sipPort, TimeSpan limit, List<ChildProcess> sipp, CancellationToken cancel)
    {
        ChildProcess supervisors = _children.Track(ChildProcess.Start("sipp-supervisor", "sipp", SippArgs("supervisor-load", "supervisor.csv", SwitchSetup.FreeUdpPort(), limit, $"127.0.0.1:{sipPort}", _o.Monitored, Math.Min(_o.Rate, 10)), _dir, Path.Combine(_dir, "sipp-supervisor.out")));
        sipp.Add(supervisors);
        var clock = Stopwatch.StartNew();
        while (gen.LatchedSupervisors < _o.Monitored && clock.Elapsed < TimeSpan.FromSeconds(30) && !supervisors.HasExited)
        {
            await Task.Delay(100, cancel).ConfigureAwait(false);
        }

        _out.WriteLine($"  {gen.LatchedSupervisors}/{_o.Monitored} supervisors hear their call ({_o.Mode}) after {clock.Elapsed.TotalSeconds:F1} s");
        if (gen.LatchedSupervisors < _o.Monitored)
        {
            SwitchSetup.PrintSippErrors(_dir, _out);
            throw new InvalidOperationException($"only {gen.LatchedSupervisors} of {_o.Monitored} supervisors joined (see SIPp's errors above and the switch log)");
        }
    }

    public void Dispose()
    {
        _http.Dispose();
        _board?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _children.StopAll();
        if (!_o.KeepTemp)
        {
            try
            {
                Directory.Delete(_dir, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp folder is harmless.
            }
        }
    }

    /// <summary>Kills whatever still runs (Ctrl+C, SIGTERM); safe to call from another thread.</summary>
    public void KillAll() => _children.StopAll();

    private async Task<LoadResult> MeasureAsync(RtpLoadGenerator gen, ChildProcess? sw, List<ChildProcess> sipp, Func<List<ChildProcess>, CancellationToken, Task>? beforeWindow, CancellationToken cancel)
    {
        // 1. Set-up: wait until every call's two sockets have heard the switch (the notice).
        var clock = Stopwatch.StartNew();
        TimeSpan setupCpu0 = sw?.CpuTime ?? TimeSpan.Zero;
        TimeSpan setupLimit = TimeSpan.FromSeconds((double)_o.Calls / _o.Rate + 30);
        long lastReport = 0;
        while (gen.LatchedCalls < _o.Calls && clock.Elapsed < setupLimit && !sipp.Any(p => p.HasExited))
        {
            await Task.Delay(100, cancel).ConfigureAwait(false);
            if (clock.ElapsedMilliseconds - lastReport >= 2000)
            {
                lastReport = clock.ElapsedMilliseconds;
                _out.WriteLine($"  {clock.Elapsed.TotalSeconds,5:F1} s: {gen.LatchedCalls}/{_o.Calls} calls have media both ways");
            }
        }

        double setupSeconds = clock.Elapsed.TotalSeconds;
        TimeSpan setupCpu = (sw?.CpuTime ?? TimeSpan.Zero) - setupCpu0;
        int talking = gen.LatchedCalls;
        _out.WriteLine($"  {setupSeconds,5:F1} s: {talking}/{_o.Calls} calls talking; warm-up {_o.WarmupSeconds} s, then measuring for {_o.HoldSeconds} s");
        if (talking < _o.Calls)
        {
            _out.WriteLine($"WARNING: only {talking} of {_o.Calls} calls came up; measuring those.");
            foreach (ChildProcess p in sipp.Where(p => p.HasExited))
            {
                _out.WriteLine($"{p.Name} exited with {p.ExitCode}:\n{p.Tail}");
            }

            SwitchSetup.PrintSippErrors(_dir, _out);

            if (talking == 0)
            {
                throw new InvalidOperationException("no call came up: nothing to measure (see SIPp's output above and the switch log)" + (sw is null ? string.Empty : ":\n" + sw.Tail));
            }
        }

        if (beforeWindow is not null)
        {
            await beforeWindow(sipp, cancel).ConfigureAwait(false);
        }

        // 2. The window.
        await Task.Delay(TimeSpan.FromSeconds(_o.WarmupSeconds), cancel).ConfigureAwait(false);
        var self = Process.GetCurrentProcess();
        long boardEvents0 = _board?.Events ?? 0;

        // The collector's counters at each end of the window, read outside the CPU measurement.
        (MetricsScrape? gc0, string? gcProblem) = await ScrapeAsync(sw, cancel).ConfigureAwait(false);
        long gcAt0 = Stopwatch.GetTimestamp();
        var rssInWindow = new RssSeries();
        long w0 = gen.OpenWindow();
        StartSidecar();
        TimeSpan swCpu0 = sw?.CpuTime ?? TimeSpan.Zero;
        TimeSpan sippCpu0 = SumCpu(sipp);
        TimeSpan selfCpu0 = self.TotalProcessorTime;
        SystemCpu machine0 = SystemCpu.Read();
        var threads0 = sw is null ? [] : ThreadCpu.Snapshot(sw.Id);
        await SampleRssAsync(sw, rssInWindow, TimeSpan.FromSeconds(_o.HoldSeconds), cancel).ConfigureAwait(false);
        long w1 = gen.CloseWindow();
        long purgedInWindow = Interlocked.Read(ref _purged);

        if (_board is { } board)
        {
            _out.WriteLine($"  console live board: {board.Count} client(s), {board.Events - boardEvents0} event(s) received in the window, most calls on one board {board.LargestList}");
        }

        TimeSpan swCpu1 = sw?.CpuTime ?? TimeSpan.Zero;
        TimeSpan sippCpu1 = SumCpu(sipp);
        self.Refresh();
        TimeSpan selfCpu1 = self.TotalProcessorTime;
        SystemCpu machine1 = SystemCpu.Read();
        var threadsInWindow = sw is null ? [] : ThreadCpu.Between(threads0, ThreadCpu.Snapshot(sw.Id));
        int threads = 0;
        long rss = 0;
        if (sw is not null)
        {
            (threads, rss) = ProcStatus.Read(sw.Id);
        }

        // Packets sent just before the window closed are still counted when they arrive.
        await Task.Delay(500, cancel).ConfigureAwait(false);

        // The collector's end read 2 s after the window: the switch learns each pause from the
        // runtime's events after the collection (up to 1.2 s seen on a busy machine), so its timed
        // pauses lag its counters; read at once, a collection of the window's last second would be
        // counted and not timed. The collector's window runs from one read to the other.
        await Task.Delay(1500, cancel).ConfigureAwait(false);
        long gcAt1 = Stopwatch.GetTimestamp();
        (MetricsScrape? gc1, string? gcProblem1) = await ScrapeAsync(sw, cancel).ConfigureAwait(false);
        gcProblem ??= gcProblem1;
        gen.StopSending();
        await Task.Delay(200, cancel).ConfigureAwait(false);

        // 3. Tear-down: SIPp's agents hang up once their hold time is over.
        string outcome = "-";
        double idleMsPerSecond = 0;
        IReadOnlyList<(string Name, int Threads, double Ms)> idleThreads = [];
        double teardownMsPerCall = double.NaN;
        long endRss = 0;
        if (sw is not null)
        {
            _out.WriteLine("  window closed; waiting for SIPp's BYEs");
            TimeSpan tearCpu0 = sw.CpuTime;
            var tearClock = Stopwatch.StartNew();
            if (_o.ChurnSeconds > 0)
            {
                foreach (ChildProcess p in sipp.Where(p => !p.HasExited))
                {
                    Signals.Kill(p.Id, Signals.SigUsr1);
                }
            }

            foreach (ChildProcess p in sipp)
            {
                await p.WaitForExitAsync(TimeSpan.FromSeconds((double)_o.Calls / _o.Rate + 40 + _o.ChurnSeconds)).ConfigureAwait(false);
            }

            // Most of this wait is idle (SIPp holds the calls a little past the window): take the idle rate off.
            TimeSpan tearCpu = sw.CpuTime - tearCpu0;
            double tearSeconds = tearClock.Elapsed.TotalSeconds;

            // The fixed cost (timers, relay threads' waits), measured once every call has ended.
            await Task.Delay(2000, cancel).ConfigureAwait(false);
            (idleMsPerSecond, idleThreads) = await MeasureIdleAsync(sw, cancel).ConfigureAwait(false);
            endRss = ProcStatus.Read(sw.Id).RssBytes;
            _out.WriteLine($"  switch idle after the calls: {idleMsPerSecond:F1} ms CPU per second, RSS {endRss / (1024.0 * 1024.0):F1} MiB");

            // Most of the wait for the BYEs is idle (SIPp holds the calls a little past the window): take the idle rate off.
            teardownMsPerCall = (tearCpu.TotalMilliseconds - (idleMsPerSecond * tearSeconds)) / Math.Max(1, talking);
            outcome = string.Join(", ", sipp.Select(p => $"{p.Name} {(p.HasExited ? "exit " + p.ExitCode.ToString(CultureInfo.InvariantCulture) : "still running (killed)")}"));
            if (sipp.Any(p => !p.HasExited || p.ExitCode != 0))
            {
                SwitchSetup.PrintSippErrors(_dir, _out);
            }
        }

        RecordingFigures? recordings = null;
        string? purge = null;
        string writerLatency = "-";
        if (sw is not null && _o.Record)
        {
            (recordings, writerLatency, purge) = await AuditRecordingsAsync(sw, purgedInWindow, (w1 - w0) / (double)Stopwatch.Frequency, cancel).ConfigureAwait(false);
        }

        gen.Stop();
        return new LoadResult
        {
            Options = _o,
            CallsTalking = talking,
            WindowSeconds = (w1 - w0) / (double)Stopwatch.Frequency,
            AgentToProspect = gen.Stats(Direction.AgentToProspect),
            ProspectToAgent = gen.Stats(Direction.ProspectToAgent),
            SwitchCpu = swCpu1 - swCpu0,
            SippCpu = sippCpu1 - sippCpu0,
            HarnessCpu = selfCpu1 - selfCpu0,
            MachineBusyPercent = SystemCpu.BusyPercent(machine0, machine1),
            SetupCpuMsPerCall = (setupCpu.TotalMilliseconds - (idleMsPerSecond * setupSeconds)) / Math.Max(1, talking),
            SwitchIdleMsPerSecond = idleMsPerSecond,
            SwitchIdleBeforeMsPerSecond = _idleBeforeMsPerSecond,
            SwitchThreadsIdle = idleThreads,
            SwitchThreadsInWindow = threadsInWindow,
            SetupSeconds = setupSeconds,
            TeardownCpuMsPerCall = teardownMsPerCall,
            SwitchThreads = threads,
            SwitchRssBytes = rss,
            Misrouted = gen.ReceivedMisrouted,
            FirstMisrouted = gen.FirstMisrouted,
            SendErrors = gen.SendErrors,
            SendResyncs = gen.SendResyncs,
            SenderMaxGapMs = gen.SenderMaxGapMs,
            ReceiverMaxGapMs = gen.ReceiverMaxGapMs,
            SippOutcome = outcome,
            Recordings = recordings,
            StoreWriterLatency = writerLatency,
            Purge = purge,
            Memory = sw is null ? null : new MemoryFigures
            {
                IdleRssBytes = _idleRss,
                Window = rssInWindow,
                EndRssBytes = endRss,
                Calls = talking,
                SampleSeconds = RssSamplePeriod.TotalSeconds,
                Gc = gc0 is not null && gc1 is not null ? GcWindow.Between(gc0, gc1, (gcAt1 - gcAt0) / (double)Stopwatch.Frequency) : null,
                GcProblem = gcProblem,
            },
            Mixed = gen.Mixed,
            SupervisorsSent = gen.SupervisorSentInWindow,
            SentIntoMix = gen.SentIntoMixInWindow,
        };
    }

    /// <summary>Stops the switch gracefully (its store flushed), then checks what it recorded.</summary>
    private async Task<(RecordingFigures Figures, string WriterLatency, string? Purge)> AuditRecordingsAsync(ChildProcess sw, long purgedInWindow, double windowSeconds, CancellationToken cancel)
    {
        _out.WriteLine("  stopping the switch (SIGTERM) and checking the recordings");
        long purgedWhileSwitchRan = Interlocked.Read(ref _purged);
        if (!await sw.TerminateAsync(TimeSpan.FromSeconds(60)).ConfigureAwait(false))
        {
            _out.WriteLine("WARNING: the switch did not stop within 60 s of SIGTERM and was killed: rows may be unfinished");
        }

        // The sidecar too, before the spool is read: it would delete files under the audit's feet.
        string? purge = await StopSidecarAsync(purgedInWindow, windowSeconds, purgedWhileSwitchRan).ConfigureAwait(false);

        RecordingFigures figures = await RecordingAudit.RunAsync(
            _exe,
            _config,
            _data,
            _spool,
            _masterKeyHex,
            Path.Combine(_dir, "exports"),
            _o.SampleRecordings,
            cancel).ConfigureAwait(false);
        string[] log = File.Exists(Path.Combine(_dir, "switch.log")) ? await File.ReadAllLinesAsync(Path.Combine(_dir, "switch.log"), cancel).ConfigureAwait(false) : [];
        const string Latency = "Metadata store writer latency (queued to committed): ";
        string writerLatency = log.LastOrDefault(l => l.Contains(Latency, StringComparison.Ordinal)) is { } latencyLine
            ? latencyLine[(latencyLine.IndexOf(Latency, StringComparison.Ordinal) + Latency.Length)..]
            : "(no writer latency line in the switch log)";
        return (figures with
        {
            Failures = log.Count(l => l.Contains("Recording not started", StringComparison.Ordinal) || l.Contains("failed while writing", StringComparison.Ordinal)),
            Encoder = log.FirstOrDefault(l => l.Contains("Recordings are encoded with", StringComparison.Ordinal)) is { } line
                ? line[line.IndexOf("Recordings are encoded with", StringComparison.Ordinal)..]
                : "(no encoder line in the switch log)",
        }, writerLatency, purge);
    }

    /// <summary>With --backlog: the retention sidecar, started as its own process on the switch's configuration (same store and spool) when the window opens.</summary>
    private void StartSidecar()
    {
        if (_o.Backlog is null)
        {
            return;
        }

        string exe = Path.Combine(Path.GetDirectoryName(_exe)!, "callswitch-retention");
        _sidecar = _children.Track(ChildProcess.Start("retention", exe, ["--config", _config, "--once"], _dir, Path.Combine(_dir, "retention.log"), new Dictionary<string, string> { [RecordingAudit.MasterKeyVariable] = _masterKeyHex }));
        _sidecar.Line += line =>
        {
            if (line.Contains("Purged recording", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _purged);
            }
        };
        _out.WriteLine($"  retention sidecar pid {_sidecar.Id} purging the backlog");
    }

    /// <summary>Stops the sidecar if it still purges (SIGTERM: it stops between two recordings) and says what it did.</summary>
    private async Task<string?> StopSidecarAsync(long inWindow, double windowSeconds, long whileSwitchRan)
    {
        if (_sidecar is not { } sidecar)
        {
            return null;
        }

        string state = sidecar.HasExited ? $"finished (exit {sidecar.ExitCode})" : "still purging when the switch stopped (stopped by SIGTERM)";
        await sidecar.TerminateAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        return string.Create(CultureInfo.InvariantCulture, $"{inWindow} purged in the window ({inWindow / windowSeconds:F0}/s), {whileSwitchRan} while the switch ran; {state}");
    }

    /// <summary>Switch CPU per second over 3 s, in all and by thread name.</summary>
    private static async Task<(double MsPerSecond, IReadOnlyList<(string Name, int Threads, double Ms)> Threads)> MeasureIdleAsync(ChildProcess sw, CancellationToken cancel)
    {
        TimeSpan cpu0 = sw.CpuTime;
        var threads0 = ThreadCpu.Snapshot(sw.Id);
        var clock = Stopwatch.StartNew();
        await Task.Delay(3000, cancel).ConfigureAwait(false);
        double msPerSecond = (sw.CpuTime - cpu0).TotalMilliseconds / clock.Elapsed.TotalSeconds;
        return (msPerSecond, ThreadCpu.Between(threads0, ThreadCpu.Snapshot(sw.Id)));
    }

    private IEnumerable<string> SippArgs(string scenario, string injection, int localPort, TimeSpan limit, string? remote, int? calls = null, int? rate = null)
    {
        int count = calls ?? _o.Calls;

        // Under churn the agent and trunk sides handle calls until told to stop (at most N at once).
        int total = calls is null && _o.ChurnSeconds > 0 ? 1_000_000 : count;
        var args = new List<string>();
        if (remote is not null)
        {
            args.Add(remote);
        }

        args.AddRange(
        [
            "-sf", scenario + ".xml",
            "-inf", injection,
            "-m", total.ToString(CultureInfo.InvariantCulture),
            "-i", "127.0.0.1",
            "-p", localPort.ToString(CultureInfo.InvariantCulture),
            "-cp", SwitchSetup.FreeUdpPort().ToString(CultureInfo.InvariantCulture),
            // SIPp binds its media port and the ones just above it (RTCP, video): with 2N
            // harness sockets on ephemeral ports, a lone free port is not enough (it exited with
            // 254, "cannot bind", when one of the next ports was the harness's).
            "-mp", SwitchSetup.FreeUdpPorts(4).ToString(CultureInfo.InvariantCulture),
            "-t", "u1",
            "-nostdin",
            "-timeout", ((int)limit.TotalSeconds).ToString(CultureInfo.InvariantCulture) + "s",
            "-timeout_error",
            "-trace_err", "-error_file", scenario + "-errors.log",
            "-trace_screen", "-screen_file", scenario + "-screen.log",
        ]);
        if (remote is not null)
        {
            // The agent side paces the calls: R new calls per second, all N held at once.
            args.AddRange(["-r", (rate ?? _o.Rate).ToString(CultureInfo.InvariantCulture), "-rp", "1000", "-l", count.ToString(CultureInfo.InvariantCulture)]);
        }

        return args;
    }

    private const string BoardUser = "load-supervisor";
    private const string BoardPassword = "load-harness-console";

    private async Task RunCliAsync(string exe, IEnumerable<string> arguments, string input)
    {
        var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false, WorkingDirectory = _dir };
        foreach (string argument in arguments)
        {
            psi.ArgumentList.Add(argument);
        }

        using Process p = Process.Start(psi) ?? throw new InvalidOperationException($"{exe} did not start");
        await p.StandardInput.WriteAsync(input).ConfigureAwait(false);
        p.StandardInput.Close();
        Task<string> stdout = p.StandardOutput.ReadToEndAsync();
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync().ConfigureAwait(false);
        string text = (await stdout.ConfigureAwait(false)) + (await stderr.ConfigureAwait(false));
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"callswitch {string.Join(' ', psi.ArgumentList)} failed:\n{text}");
        }
    }

    // SIPp expands keywords inside an injected field, not fields inside its [authentication]
    // keyword: the whole keyword is the field.
    internal static string Authentication(string extension) => $"[authentication username={extension} password={SwitchConfig.PasswordOf(extension)}]";

    private static async Task WriteInjectionAsync(string path, int count, Func<int, string> line)
    {
        using var w = new StreamWriter(path);
        await w.WriteLineAsync("SEQUENTIAL").ConfigureAwait(false);
        for (int i = 0; i < count; i++)
        {
            await w.WriteLineAsync(line(i)).ConfigureAwait(false);
        }
    }

    private async Task WriteScenarioAsync(string name, Dictionary<string, string> values)
    {
        string text = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Scenarios", name + ".xml")).ConfigureAwait(false);
        foreach (var (key, value) in values)
        {
            text = text.Replace("{{" + key + "}}", value, StringComparison.Ordinal);
        }

        await File.WriteAllTextAsync(Path.Combine(_dir, name + ".xml"), text).ConfigureAwait(false);
    }

    /// <summary>How often the switch's RSS is read through the window.</summary>
    private static readonly TimeSpan RssSamplePeriod = TimeSpan.FromSeconds(5);

    /// <summary>Waits out the window, reading the switch's RSS at its start, every <see cref="RssSamplePeriod"/>, and at its end.</summary>
    private static async Task SampleRssAsync(ChildProcess? sw, RssSeries series, TimeSpan window, CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (sw is not null)
            {
                series.Add(clock.Elapsed.TotalSeconds, ProcStatus.Read(sw.Id).RssBytes);
            }

            TimeSpan left = window - clock.Elapsed;
            if (left <= TimeSpan.Zero)
            {
                return;
            }

            await Task.Delay(left < RssSamplePeriod ? left : RssSamplePeriod, cancel).ConfigureAwait(false);
        }
    }

    /// <summary>The switch's metrics now; a failed read is a reason printed in the report, not the run's end (its other figures stand).</summary>
    private async Task<(MetricsScrape? Scrape, string? Problem)> ScrapeAsync(ChildProcess? sw, CancellationToken cancel)
    {
        if (sw is null || _metrics is null)
        {
            return (null, null);
        }

        try
        {
            return (await MetricsScrape.ReadAsync(_http, _metrics, cancel).ConfigureAwait(false), null);
        }
        catch (Exception e) when (e is InvalidOperationException or TaskCanceledException && !cancel.IsCancellationRequested)
        {
            return (null, e.Message);
        }
    }

    private static TimeSpan SumCpu(IEnumerable<ChildProcess> processes) =>
        processes.Aggregate(TimeSpan.Zero, (sum, p) => sum + p.CpuTime);
}
