using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using CallSwitch.LoadHarness.Processes;
using CallSwitch.LoadHarness.Recording;
using CallSwitch.LoadHarness.Setup;

namespace CallSwitch.LoadHarness.Cps;

/// <summary>
/// CPS mode: SIPp's agent places <see cref="LoadOptions.Cps"/> calls per second for
/// <see cref="LoadOptions.DurationSeconds"/> through the real switch to SIPp's trunk (digest
/// challenge and answer, a short call, BYE), and the run reports the set-ups per second
/// achieved, failed calls, the set-up latency and the switch's CPU per call. Stops every
/// process it started, whatever happens.
/// </summary>
internal sealed class CpsRun : IDisposable
{
    private const string Number = "+33612345678";
    private readonly LoadOptions _o;
    private readonly TextWriter _out;
    private readonly string _dir;
    private readonly ChildProcessSet _children = new();
    private readonly string _masterKeyHex = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    public CpsRun(LoadOptions options, TextWriter output)
    {
        _o = options;
        _out = output;
        _dir = Directory.CreateTempSubdirectory("callswitch-cps-").FullName;
    }

    public string Folder => _dir;

    private long TotalCalls => (long)_o.Cps * _o.DurationSeconds;

    public async Task<CpsResult> RunAsync(CancellationToken cancel)
    {
        using var drain = new MediaDrain();
        int sipPort = SwitchSetup.FreeUdpPort();
        int trunkPort = SwitchSetup.FreeUdpPort();

        // Calls alive at once: those held, plus those setting up or hanging up (a few seconds' worth).
        int channels = (int)Math.Min(TotalCalls, (long)_o.Cps * ((_o.CallMilliseconds / 1000) + 5)) + 100;
        int rtpMax = Math.Min(_o.RtpPortMin + (4 * channels) + 200, 65534) & ~1;
        string config = SwitchConfig.PrepareConfigFolder(_dir);
        await File.WriteAllTextAsync(config, SwitchConfig.Yaml(sipPort, trunkPort, _o.RtpPortMin, rtpMax, channels, _o.LogLevel, _o.Record, spool: Path.Combine(_dir, SwitchConfig.Spool), data: Path.Combine(_dir, SwitchConfig.Data)), cancel).ConfigureAwait(false);
        string exe = _o.SwitchPath ?? Path.Combine(AppContext.BaseDirectory, "callswitch");
        _out.WriteLine("config check: " + await SwitchSetup.CheckConfigAsync(exe, config, _dir).ConfigureAwait(false));

        // One injection line, used by every call (SEQUENTIAL wraps): agent 1001 and its credentials.
        await File.WriteAllTextAsync(Path.Combine(_dir, "agent.csv"), $"SEQUENTIAL\n1001;{LoadRun.Authentication("1001")};\n", cancel).ConfigureAwait(false);
        var values = new Dictionary<string, string>
        {
            ["NUMBER"] = Number,
            ["HOLD_MS"] = _o.CallMilliseconds.ToString(CultureInfo.InvariantCulture),
            ["MEDIA_PORT"] = drain.Port.ToString(CultureInfo.InvariantCulture),
        };
        foreach (string scenario in new[] { "cps-agent", "cps-trunk" })
        {
            string text = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Scenarios", scenario + ".xml"), cancel).ConfigureAwait(false);
            foreach (var (key, value) in values)
            {
                text = text.Replace("{{" + key + "}}", value, StringComparison.Ordinal);
            }

            await File.WriteAllTextAsync(Path.Combine(_dir, scenario + ".xml"), text, cancel).ConfigureAwait(false);
        }

        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        ChildProcess sw = _children.Track(ChildProcess.Start("switch", exe, ["serve", "--config", config], _dir, Path.Combine(_dir, "switch.log"), new Dictionary<string, string> { [RecordingAudit.MasterKeyVariable] = _masterKeyHex }));
        sw.Line += line =>
        {
            if (line.Contains("Listening for SIP", StringComparison.Ordinal))
            {
                listening.TrySetResult();
            }
        };
        if (await Task.WhenAny(listening.Task, sw.WaitForExitAsync(TimeSpan.FromMinutes(5)), Task.Delay(TimeSpan.FromSeconds(60), cancel)).ConfigureAwait(false) != listening.Task)
        {
            throw new InvalidOperationException("the switch did not start listening:\n" + sw.Tail);
        }

        _out.WriteLine($"switch pid {sw.Id} on udp 127.0.0.1:{sipPort}; trunk (SIPp UAS) on {trunkPort}; media drain on {drain.Port}; relay ports {_o.RtpPortMin}-{rtpMax}; {channels} channels");
        await Task.Delay(1000, cancel).ConfigureAwait(false);
        double idleMsPerSecond = await IdleAsync(sw, cancel).ConfigureAwait(false);
        _out.WriteLine($"switch idle before the calls: {idleMsPerSecond:F1} ms CPU per second");

        TimeSpan limit = TimeSpan.FromSeconds(_o.DurationSeconds + (_o.CallMilliseconds / 1000.0) + 120);
        ChildProcess trunk = _children.Track(ChildProcess.Start("sipp-trunk", "sipp", SippArgs("cps-trunk", trunkPort, limit, remote: null, 0, TotalCalls + ((long)Math.Max(1, _o.Cps / 10) * _o.WarmupSeconds), "cps-trunk"), _dir, Path.Combine(_dir, "sipp-trunk.out")));
        await Task.Delay(300, cancel).ConfigureAwait(false);

        if (_o.WarmupSeconds > 0)
        {
            // The switch's first calls run its code unoptimised (tiered JIT): a short run ahead at
            // a tenth of the rate, through the same trunk, counts for nothing.
            int warmRate = Math.Max(1, _o.Cps / 10);
            ChildProcess warm = _children.Track(ChildProcess.Start("sipp-warmup", "sipp", SippArgs("cps-agent", SwitchSetup.FreeUdpPort(), limit, $"127.0.0.1:{sipPort}", warmRate, (long)warmRate * _o.WarmupSeconds, "cps-warmup"), _dir, Path.Combine(_dir, "sipp-warmup.out")));
            await warm.WaitForExitAsync(TimeSpan.FromSeconds(_o.WarmupSeconds + 60)).ConfigureAwait(false);
            _out.WriteLine($"warm-up: {warmRate * _o.WarmupSeconds} calls at {warmRate}/s, SIPp {Exit(warm)}");
            await Task.Delay(2000, cancel).ConfigureAwait(false);
        }

        var machine0 = SystemCpu.Read();
        TimeSpan cpu0 = sw.CpuTime;
        var clock = Stopwatch.StartNew();
        ChildProcess agent = _children.Track(ChildProcess.Start("sipp-agent", "sipp", SippArgs("cps-agent", SwitchSetup.FreeUdpPort(), limit, $"127.0.0.1:{sipPort}", _o.Cps, TotalCalls, "cps-agent"), _dir, Path.Combine(_dir, "sipp-agent.out")));
        long lastReport = 0;
        TimeSpan sippCpu = TimeSpan.Zero;
        while (!agent.HasExited && clock.Elapsed < limit)
        {
            await Task.Delay(200, cancel).ConfigureAwait(false);

            // Read while they run: an exited process has no /proc entry left to read.
            TimeSpan sippNow = agent.CpuTime + trunk.CpuTime;
            sippCpu = sippNow > sippCpu ? sippNow : sippCpu;
            if (clock.ElapsedMilliseconds - lastReport >= 5000)
            {
                lastReport = clock.ElapsedMilliseconds;
                _out.WriteLine($"  {clock.Elapsed.TotalSeconds,5:F0} s: switch {(sw.CpuTime - cpu0).TotalMilliseconds / clock.Elapsed.TotalSeconds / 10:F0} % of a core so far, {drain.Packets} notice packets drained");
            }
        }

        double seconds = clock.Elapsed.TotalSeconds;
        TimeSpan cpu = sw.CpuTime - cpu0;
        if (sw.HasExited)
        {
            // Its CPU can no longer be read, and the calls' failures would be the crash's.
            throw new InvalidOperationException($"the switch exited during the run (exit {sw.ExitCode}):\n{sw.Tail}");
        }

        var machine1 = SystemCpu.Read();
        if (!agent.HasExited)
        {
            _out.WriteLine("WARNING: SIPp's agent had not finished within the limit; its figures are partial");
        }

        await trunk.WaitForExitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        string outcome = $"agent {Exit(agent)}, trunk {Exit(trunk)}";
        // SIPp names the file after the scenario and its pid (the warm-up wrote one of its own).
        SippFigures sipp = SippFigures.Read(Path.Combine(_dir, "cps-agent-stats.csv"), Path.Combine(_dir, $"cps-agent_{agent.Id}_rtt.csv"));
        if (sipp.Failed > 0 || !agent.HasExited || agent.ExitCode != 0)
        {
            SwitchSetup.PrintSippErrors(_dir, _out);
        }

        RecordingFigures? recordings = null;
        if (_o.Record)
        {
            _out.WriteLine("  stopping the switch (SIGTERM) and checking the recordings");
            await sw.TerminateAsync(TimeSpan.FromSeconds(120)).ConfigureAwait(false);
            recordings = await RecordingAudit.RunAsync(exe, config, Path.Combine(_dir, SwitchConfig.Data), Path.Combine(_dir, SwitchConfig.Spool), _masterKeyHex, Path.Combine(_dir, "exports"), _o.SampleRecordings, cancel).ConfigureAwait(false);
            int failures = File.ReadLines(Path.Combine(_dir, "switch.log")).Count(l => l.Contains("Recording not started", StringComparison.Ordinal) || l.Contains("failed while writing", StringComparison.Ordinal));
            recordings = recordings with { Failures = failures };
        }

        return new CpsResult
        {
            Options = _o,
            Sipp = sipp,
            Seconds = seconds,
            SwitchCpu = cpu,
            SwitchIdleMsPerSecond = idleMsPerSecond,
            SippCpu = sippCpu,
            MachineBusyPercent = SystemCpu.BusyPercent(machine0, machine1),
            NoticePackets = drain.Packets,
            SippOutcome = outcome,
            Recordings = recordings,
        };
    }

    public void Dispose()
    {
        KillAll();
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

    private static string Exit(ChildProcess p) => p.HasExited ? "exit " + p.ExitCode.ToString(CultureInfo.InvariantCulture) : "still running (killed)";

    private static async Task<double> IdleAsync(ChildProcess sw, CancellationToken cancel)
    {
        TimeSpan cpu0 = sw.CpuTime;
        var clock = Stopwatch.StartNew();
        await Task.Delay(3000, cancel).ConfigureAwait(false);
        return (sw.CpuTime - cpu0).TotalMilliseconds / clock.Elapsed.TotalSeconds;
    }

    private IEnumerable<string> SippArgs(string scenario, int localPort, TimeSpan limit, string? remote, int rate, long calls, string files)
    {
        var args = new List<string>();
        if (remote is not null)
        {
            args.Add(remote);
        }

        string total = calls.ToString(CultureInfo.InvariantCulture);
        int callMilliseconds = _o.CallMilliseconds;
        args.AddRange(
        [
            "-sf", scenario + ".xml",
            "-m", total,
            "-i", "127.0.0.1",
            "-p", localPort.ToString(CultureInfo.InvariantCulture),
            "-cp", SwitchSetup.FreeUdpPort().ToString(CultureInfo.InvariantCulture),
            "-mp", SwitchSetup.FreeUdpPorts(4).ToString(CultureInfo.InvariantCulture),
            "-t", "u1",
            "-nostdin",
            "-timeout", ((int)limit.TotalSeconds).ToString(CultureInfo.InvariantCulture) + "s",
            "-timeout_error",

            // A call that waits longer than this for its next message fails (and is counted)
            // instead of holding the run open until the global timeout.
            "-recv_timeout", (callMilliseconds + 10_000).ToString(CultureInfo.InvariantCulture),
            "-trace_err", "-error_file", files + "-errors.log",
            "-trace_screen", "-screen_file", files + "-screen.log",
        ]);
        if (remote is not null)
        {
            // The agent paces the calls (N new calls per second, however many are up at once)
            // and writes its counters once a second and every set-up time it measured.
            args.AddRange(
            [
                "-inf", "agent.csv",
                "-r", rate.ToString(CultureInfo.InvariantCulture), "-rp", "1000",
                "-trace_stat", "-stf", files + "-stats.csv", "-fd", "1",
                "-trace_rtt", "-rtt_freq", "1",
            ]);
        }

        return args;
    }
}
