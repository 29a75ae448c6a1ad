using CallSwitch.LoadHarness;
using CallSwitch.LoadHarness.Cps;

LoadOptions options;
try
{
    options = LoadOptions.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(LoadOptions.Usage);
    return 2;
}

if (!OperatingSystem.IsLinux())
{
    Console.Error.WriteLine("The load harness needs Linux (epoll, /proc).");
    return 2;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
if (options.Cps > 0)
{
    return await CpsMode.RunAsync(options, cancel.Token);
}

using var run = new LoadRun(options, Console.Out);
// SIGTERM and friends: never leave a switch or SIPp behind.
AppDomain.CurrentDomain.ProcessExit += (_, _) => run.KillAll();
Console.WriteLine($"load harness: {options.Calls} calls, window {options.HoldSeconds} s, {options.Rate} calls/s set-up, temp {run.Folder}");
try
{
    LoadResult result = await run.RunAsync(cancel.Token);
    Report.Print(result, Console.Out);
    if (options.KeepTemp)
    {
        Console.WriteLine($"kept {run.Folder}");
    }

    return 0;
}
catch (Exception e) when (e is OperationCanceledException or InvalidOperationException or IOException)
{
    Console.Error.WriteLine("load run failed: " + e.Message);
    Console.Error.WriteLine($"(files in {run.Folder}{(options.KeepTemp ? string.Empty : ", deleted at exit: run with --keep to look at them")})");
    return 1;
}
