using System.Globalization;
using CallSwitch.PurgeBench;

const string Usage = """
    CallSwitch.PurgeBench — the retention sidecar's purge rate and memory on a backlog of expired recordings.

      dotnet run -c Release --project bench/CallSwitch.PurgeBench -- generate --dir DIR [--count N] [--size BYTES]
          a store, a vault and a spool in DIR (DIR/callswitch.yaml, DIR/data, DIR/spool) holding N expired
          recordings (default 100000) of campaign 'backlog', each a real encrypted file of BYTES (default 32768)
          with its wrapped data key and its rows, written through the product's store and vault
      dotnet run -c Release --project bench/CallSwitch.PurgeBench -- run --dir DIR [--retention EXE]
          runs `callswitch-retention --config DIR/callswitch.yaml --once` as its own process, reads its
          memory from /proc every 100 ms, then counts what is left: purged per second, peak and sampled RSS
    """;

if (args.Length == 0 || args[0] is "-h" or "--help")
{
    Console.WriteLine(Usage);
    return args.Length == 0 ? 2 : 0;
}

string? dir = null, retention = null;
int count = 100_000, size = 32 * 1024;
try
{
    for (int i = 1; i < args.Length; i++)
    {
        string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
        switch (args[i])
        {
            case "--dir": dir = Path.GetFullPath(Next()); break;
            case "--count": count = int.Parse(Next(), CultureInfo.InvariantCulture); break;
            case "--size": size = int.Parse(Next(), CultureInfo.InvariantCulture); break;
            case "--retention": retention = Next(); break;
            default: throw new ArgumentException($"unknown option {args[i]}");
        }
    }

    if (dir is null)
    {
        throw new ArgumentException("--dir is required");
    }

    if (count < 1 || size < 16)
    {
        throw new ArgumentException("--count ≥ 1 and --size ≥ 16");
    }
}
catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(Usage);
    return 2;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
try
{
    return args[0] switch
    {
        "generate" => await Backlog.GenerateAsync(dir, count, size, Console.Out, cancel.Token),
        "run" => await PurgeRun.RunAsync(dir, retention ?? Path.Combine(AppContext.BaseDirectory, "callswitch-retention"), Console.Out, cancel.Token),
        _ => Fail($"unknown command {args[0]}"),
    };
}
catch (Exception e) when (e is IOException or InvalidOperationException or OperationCanceledException)
{
    Console.Error.WriteLine("purge bench failed: " + e.Message);
    return 1;
}

int Fail(string message)
{
    Console.Error.WriteLine(message);
    Console.Error.WriteLine(Usage);
    return 2;
}
