using System.Diagnostics;

namespace CallSwitch.InteropTests.Executable;

/// <summary>
/// The real <c>callswitch</c> executable run as a child process, its output collected line by line.
/// Disposing kills it if it still runs.
/// </summary>
internal sealed class CallswitchProcess : IDisposable
{
    private static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "callswitch.dll");

    private readonly System.Text.StringBuilder _text = new();
    private readonly Lock _lock = new();

    private CallswitchProcess(Process process)
    {
        Process = process;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>The process.</summary>
    public Process Process { get; }

    /// <summary>Everything it printed so far (stdout and stderr).</summary>
    public string Output
    {
        get
        {
            lock (_lock)
            {
                return _text.ToString();
            }
        }
    }

    /// <summary>Starts <c>dotnet callswitch.dll</c> with <paramref name="args"/> (CALLSWITCH_MASTER_KEY unset: keys come from the data folder).</summary>
    public static CallswitchProcess Start(params string[] args) => new(Process.Start(Info(args)) ?? throw new InvalidOperationException("callswitch did not start"));

    /// <summary>Runs a command to its end (30 s at most); returns its exit code and output.</summary>
    public static async Task<(int Code, string Text)> RunAsync(params string[] args)
    {
        using Process process = Process.Start(Info(args)) ?? throw new InvalidOperationException("callswitch did not start");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>Waits until a line containing <paramref name="needle"/> was printed.</summary>
    public async Task WaitForAsync(string needle, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!Output.Contains(needle, StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > deadline || Process.HasExited)
            {
                await Task.Delay(100);
                throw new TimeoutException($"'{needle}' not seen in the output{(Process.HasExited ? " (the process exited)" : string.Empty)}:\n{Output}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Sends SIGTERM and waits (15 s at most) for the exit; returns the exit code.</summary>
    public async Task<int> StopAsync()
    {
        using (Process kill = Process.Start("kill", ["-TERM", Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await Process.WaitForExitAsync(cts.Token);
        return Process.ExitCode;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
            Process.WaitForExit(10_000);
        }

        Process.Dispose();
    }

    private static ProcessStartInfo Info(string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.Environment.Remove("CALLSWITCH_MASTER_KEY");
        psi.ArgumentList.Add(Dll);
        foreach (string arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        return psi;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lock)
        {
            _text.AppendLine(line);
        }
    }
}
