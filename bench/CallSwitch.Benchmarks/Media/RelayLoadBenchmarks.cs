using System.Diagnostics;
using System.Globalization;
using System.Net;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using CallSwitch.Media.Relay;

namespace CallSwitch.Benchmarks.Media;

/// <summary>
/// CPU cost per relayed packet of each socket model (Epoll, PollingThreads), under the load of many concurrent calls
/// (default 200 two-leg calls, 50 packets per second per direction: 20,000 relayed packets per
/// second). BenchmarkDotNet's time column is only the fixed run length: the figures are the
/// "RelayLoad" lines printed by each run (process CPU time over the run, divided by the packets
/// the relay sent, gross and net of what the generator itself costs, measured first with the
/// peers sending to each other directly).
/// </summary>
[Config(typeof(Configuration))]
public class RelayLoadBenchmarks
{
    private readonly List<string> _results = [];
    private RelayLoadGenerator _generator = null!;
    private MediaRelay? _relay;
    private RelaySession[] _sessions = [];
    private IPEndPoint[] _agentTargets = [];
    private IPEndPoint[] _trunkTargets = [];
    private double _generatorMicrosecondsPerPacket;

    /// <summary>The socket model under test.</summary>
    [ParamsSource(nameof(Models))]
    public RelaySocketModel Model { get; set; }

    /// <summary>Concurrent calls (RELAY_LOAD_CALLS, comma-separated, default 200).</summary>
    [ParamsSource(nameof(CallCounts))]
    public int Calls { get; set; }

    /// <summary>The models to run: RELAY_LOAD_MODELS (comma-separated names), default all.</summary>
    public static IEnumerable<RelaySocketModel> Models =>
        Environment.GetEnvironmentVariable("RELAY_LOAD_MODELS") is { Length: > 0 } names
            ? names.Split(',').Select(n => Enum.Parse<RelaySocketModel>(n.Trim(), ignoreCase: true))
            : Enum.GetValues<RelaySocketModel>();

    public static IEnumerable<int> CallCounts =>
        Environment.GetEnvironmentVariable("RELAY_LOAD_CALLS") is { Length: > 0 } counts
            ? counts.Split(',').Select(c => int.Parse(c.Trim(), CultureInfo.InvariantCulture))
            : [200];

    /// <summary>Batch interval of the polling models, in ms (RELAY_POLL_MS, default 2).</summary>
    public static int PollMilliseconds { get; } = int.TryParse(Environment.GetEnvironmentVariable("RELAY_POLL_MS"), CultureInfo.InvariantCulture, out int ms) ? ms : 2;

    /// <summary>Seconds of load per iteration.</summary>
    public static double Seconds { get; } = double.TryParse(Environment.GetEnvironmentVariable("RELAY_LOAD_SECONDS"), CultureInfo.InvariantCulture, out double s) ? s : 5;

    [GlobalSetup]
    public void Setup()
    {
        _generator = new RelayLoadGenerator();

        // What the generator and the peers cost without a relay: each side sends straight to the other.
        var agentDirect = Enumerable.Repeat(_generator.TrunkEndPoint, Calls).ToArray();
        var trunkDirect = Enumerable.Repeat(_generator.AgentEndPoint, Calls).ToArray();
        _generator.Run(agentDirect, trunkDirect, TimeSpan.FromSeconds(1));
        TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime;
        long sent = _generator.Run(agentDirect, trunkDirect, TimeSpan.FromSeconds(Seconds));
        _generatorMicrosecondsPerPacket = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds / sent;

        _relay = new MediaRelay(new MediaRelayOptions
        {
            MinPort = 40000,
            MaxPort = 40000 + (Calls * 4) + 400,
            BindAddress = IPAddress.Loopback,
            SocketModel = Model,
            ReceiverThreads = Environment.ProcessorCount,
            PollInterval = TimeSpan.FromMilliseconds(PollMilliseconds),
        });
        _sessions = new RelaySession[Calls];
        for (int i = 0; i < Calls; i++)
        {
            _sessions[i] = _relay.CreateSession();
            _sessions[i].Configure(RelayLegId.A, new RelayLegSettings { RemoteRtp = _generator.AgentEndPoint });
            _sessions[i].Configure(RelayLegId.B, new RelayLegSettings { RemoteRtp = _generator.TrunkEndPoint });
        }

        _agentTargets = _sessions.Select(s => s.LegA.LocalRtpEndPoint).ToArray();
        _trunkTargets = _sessions.Select(s => s.LegB.LocalRtpEndPoint).ToArray();
    }

    [Benchmark]
    public void RelayLoad()
    {
        long relayedBefore = Relayed();
        long receivedBefore = _generator.Received;
        TimeSpan cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        long sent = _generator.Run(_agentTargets, _trunkTargets, TimeSpan.FromSeconds(Seconds));
        Thread.Sleep(100); // let the last packets through
        double cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMicroseconds;
        long relayed = Relayed() - relayedBefore;
        long received = _generator.Received - receivedBefore;
        double gross = cpu / Math.Max(1, relayed);
        double net = (cpu - (_generatorMicrosecondsPerPacket * sent)) / Math.Max(1, relayed);
        string line = string.Create(
            CultureInfo.InvariantCulture,
            $"RelayLoad model={Model} poll_ms={PollMilliseconds} inline={Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS") ?? "0"} calls={Calls} " +
            $"sent={sent} relayed={relayed} received={received} cpu%={cpu / (Seconds * 1e6) * 100:F1} " +
            $"gross_us_per_pkt={gross:F2} generator_us_per_pkt={_generatorMicrosecondsPerPacket:F2} net_us_per_pkt={net:F2} threads={Process.GetCurrentProcess().Threads.Count}");
        _results.Add(line);
        Console.WriteLine(line);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (RelaySession session in _sessions)
        {
            session.Dispose();
        }

        _relay?.Dispose();
        _generator.Dispose();
        string file = Path.Combine(Path.GetTempPath(), "callswitch-relay-load.txt");
        File.AppendAllLines(file, _results);
        Console.WriteLine($"RelayLoad results appended to {file}");
    }

    private long Relayed()
    {
        long total = 0;
        foreach (RelaySession session in _sessions)
        {
            total += session.LegA.Counters.PacketsOut + session.LegB.Counters.PacketsOut;
        }

        return total;
    }

    private sealed class Configuration : ManualConfig
    {
        public Configuration()
        {
            Job load = Job.Default
                .WithStrategy(RunStrategy.Monitoring)
                .WithLaunchCount(1)
                .WithWarmupCount(1)
                .WithIterationCount(3)
                .WithInvocationCount(1)
                .WithUnrollFactor(1);
            string jobs = Environment.GetEnvironmentVariable("RELAY_LOAD_JOBS") ?? "default,inline";
            if (jobs.Contains("default", StringComparison.Ordinal))
            {
                AddJob(load.WithId("default"));
            }

            if (!jobs.Contains("inline", StringComparison.Ordinal))
            {
                return;
            }

            AddJob(load
                .WithEnvironmentVariables(new EnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1"))
                .WithId("inline-completions"));
        }
    }
}
