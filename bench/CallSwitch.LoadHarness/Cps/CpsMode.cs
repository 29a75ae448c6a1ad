namespace CallSwitch.LoadHarness.Cps;

/// <summary>The harness's entry for <c>--cps</c>: one run, its report, its exit code.</summary>
internal static class CpsMode
{
    /// <summary>0 when the run completed (whatever its figures), 1 when it could not be made.</summary>
    public static async Task<int> RunAsync(LoadOptions options, CancellationToken cancel)
    {
        using var run = new CpsRun(options, Console.Out);
        // SIGTERM and friends: never leave a switch or SIPp behind.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => run.KillAll();
        Console.WriteLine($"load harness, CPS mode: {options.Cps} calls/s for {options.DurationSeconds} s, calls of {options.CallMilliseconds} ms, recording {(options.Record ? "on" : "off")}, temp {run.Folder}");
        try
        {
            CpsResult result = await run.RunAsync(cancel).ConfigureAwait(false);
            result.Print(Console.Out);
            if (options.KeepTemp)
            {
                Console.WriteLine($"kept {run.Folder}");
            }

            return 0;
        }
        catch (Exception e) when (e is OperationCanceledException or InvalidOperationException or IOException)
        {
            Console.Error.WriteLine("CPS run failed: " + e.Message);
            Console.Error.WriteLine($"(files in {run.Folder}{(options.KeepTemp ? string.Empty : ", deleted at exit: run with --keep to look at them")})");
            return 1;
        }
    }
}
