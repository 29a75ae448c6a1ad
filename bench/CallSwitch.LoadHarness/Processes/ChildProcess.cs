using System.ComponentModel;
using System.Diagnostics;

namespace CallSwitch.LoadHarness.Processes;

/// <summary>
/// A process the harness started: its output goes to a file, its CPU time can be read while
/// it runs, and <see cref="Dispose"/> kills it (and anything it started) if it still runs.
/// </summary>
internal sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly object _logLock = new();
    private readonly List<string> _tail = [];

    private ChildProcess(string name, Process process, StreamWriter log)
    {
        Name = name;
        _process = process;
        _log = log;
    }

    public string Name { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Raised for every line the process writes (on a thread-pool thread).</summary>
    public event Action<string>? Line;

    /// <summary>Starts <paramref name="fileName"/>; <paramref name="environment"/> adds to (or overrides) the harness's own variables.</summary>
    public static ChildProcess Start(string name, string fileName, IEnumerable<string> arguments, string workingDirectory, string logPath, IReadOnlyDictionary<string, string>? environment = null)
    {
        var psi = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (string argument in arguments)
        {
            psi.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            psi.Environment[key] = value;
        }

        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        var child = new ChildProcess(name, process, new StreamWriter(logPath) { AutoFlush = true });
        process.OutputDataReceived += (_, e) => child.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => child.OnLine(e.Data);
        try
        {
            if (!process.Start())
            {
                throw new InvalidOperationException($"{name} did not start ({fileName})");
            }
        }
        catch (Win32Exception e)
        {
            // A peer not installed (sipp, on a new machine): one clear line, not a stack trace.
            child.Dispose();
            throw new InvalidOperationException($"{name} could not be started: '{fileName}' is not installed or not executable ({e.Message})", e);
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>User + system CPU time so far (from /proc/PID/stat, 10 ms resolution).</summary>
    public TimeSpan CpuTime
    {
        get
        {
            try
            {
                _process.Refresh();
                return _process.TotalProcessorTime;
            }
            catch (InvalidOperationException)
            {
                return TimeSpan.Zero;
            }
        }
    }

    /// <summary>The last lines of output (at most 40).</summary>
    public string Tail
    {
        get
        {
            lock (_logLock)
            {
                return string.Join('\n', _tail);
            }
        }
    }

    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>
    /// Asks the process to stop (SIGTERM: the switch then ends its calls, closes its recordings
    /// and flushes its metadata store) and waits for it; kills it if it has not exited in time.
    /// </summary>
    /// <returns>Whether it exited by itself within <paramref name="timeout"/>.</returns>
    public async Task<bool> TerminateAsync(TimeSpan timeout)
    {
        if (_process.HasExited)
        {
            return true;
        }

        if (Signals.Kill(_process.Id, Signals.SigTerm) != 0)
        {
            return _process.HasExited;
        }

        if (await WaitForExitAsync(timeout).ConfigureAwait(false))
        {
            return true;
        }

        Dispose();
        return false;
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
        lock (_logLock)
        {
            _log.Dispose();
        }
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_logLock)
        {
            _log.WriteLine(line);
            _tail.Add(line);
            if (_tail.Count > 40)
            {
                _tail.RemoveAt(0);
            }
        }

        Line?.Invoke(line);
    }
}
