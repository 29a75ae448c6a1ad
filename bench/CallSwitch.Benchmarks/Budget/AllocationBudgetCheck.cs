using System.Globalization;
using System.Text.Json;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace CallSwitch.Benchmarks.Budget;

/// <summary>
/// Runs the benchmarks named in an allocation budget file (benchmark name → most bytes one
/// operation may allocate) with BenchmarkDotNet's memory diagnoser in a short in-process job, and
/// compares each one's "Allocated" with its budget, as Garnet's CI does. Prints one line per
/// budget entry (ok, over budget, missing) and a final "N passed, N failed" line; a budget entry
/// with no result is a failure, so renaming a benchmark cannot silently drop its budget.
/// </summary>
/// <remarks>
/// Time is not measured here (one short iteration on a shared machine says nothing about it):
/// allocations per operation do not depend on load. In-process avoids generating and building a
/// project per run; the memory diagnoser's extra iteration runs after the warm-up, so first-call
/// costs (static constructors) are not counted. 16,384 operations per iteration make a few KB
/// allocated by another thread meanwhile (the count is process-wide) round down to 0 B per
/// operation; 4,096 did not. .ci/allocation-budget sets DOTNET_TC_CallCountingDelayMs=0 so the
/// warm-up reaches tier-1 code.
/// </remarks>
internal static class AllocationBudgetCheck
{
    /// <summary>Operations per iteration: enough for an amortised allocation to show as bytes per operation.</summary>
    private const int Invocations = 16384;

    /// <summary>How many times in all an entry over budget is measured before it fails.</summary>
    private const int Rounds = 3;

    /// <summary>Runs the check; returns the process exit code (0 when every entry passed).</summary>
    public static int Run(string budgetFile, TextWriter output)
    {
        Dictionary<string, long> budget = Read(budgetFile);
        if (Environment.GetEnvironmentVariable("DOTNET_TC_CallCountingDelayMs") != "0")
        {
            // Without it the short warm-up may end before tier-1 code is installed, and tier-0
            // code allocates what .NET 10's escape analysis keeps on the stack.
            output.WriteLine("allocation budget: DOTNET_TC_CallCountingDelayMs is not 0; run .ci/allocation-budget, which sets it, or expect tier-0 allocations");
        }

        string artifacts = Path.Combine(Path.GetTempPath(), $"callswitch-allocation-budget-{Environment.ProcessId}");
        IConfig config = ManualConfig.CreateEmpty()
            .AddJob(Job.Default
                .WithToolchain(InProcessEmitToolchain.Instance)
                .WithStrategy(RunStrategy.Throughput)
                .WithLaunchCount(1)
                .WithWarmupCount(2)
                .WithIterationCount(1)
                .WithInvocationCount(Invocations)
                .WithUnrollFactor(1)
                .WithId("budget"))
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddLogger(NullLogger.Instance)
            .WithArtifactsPath(artifacts)
            .WithOptions(ConfigOptions.DisableLogFile);

        BenchmarkRunInfo[] runs = typeof(AllocationBudgetCheck).Assembly.GetTypes()
            .Where(t => t.IsClass && !t.IsAbstract && t.GetMethods().Any(m => m.IsDefined(typeof(BenchmarkDotNet.Attributes.BenchmarkAttribute), false)))
            .Select(t => BenchmarkConverter.TypeToBenchmarks(t, config))
            .Select(run => new BenchmarkRunInfo([.. run.BenchmarksCases.Where(c => budget.ContainsKey(NameOf(c)))], run.Type, run.Config))
            .Where(run => run.BenchmarksCases.Length > 0)
            .ToArray();

        // The count is process-wide, so another thread (tiered compilation, the runtime) can add
        // bytes to an iteration, never remove them: an entry over budget is measured again, up to
        // Rounds times in all, and its smallest figure is the code's own.
        var measured = new Dictionary<string, long?>(StringComparer.Ordinal);
        for (int round = 0; round < Rounds && runs.Length > 0; round++)
        {
            foreach (Summary summary in BenchmarkRunner.Run(runs))
            {
                foreach (BenchmarkReport report in summary.Reports)
                {
                    string name = NameOf(report.BenchmarkCase);
                    long? bytes = report.Success ? report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase) : null;
                    measured[name] = measured.GetValueOrDefault(name) is { } earlier && (bytes is null || earlier < bytes) ? earlier : bytes;
                }
            }

            runs = [.. runs
                .Select(run => new BenchmarkRunInfo([.. run.BenchmarksCases.Where(c => !(measured.GetValueOrDefault(NameOf(c)) <= budget[NameOf(c)]))], run.Type, run.Config))
                .Where(run => run.BenchmarksCases.Length > 0)];
        }

        int passed = 0, failed = 0;
        foreach ((string name, long max) in budget.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            string line;
            if (measured.GetValueOrDefault(name) is not { } allocated)
            {
                line = $"missing       {name}: no result (budget {max} B)";
                failed++;
            }
            else if (allocated > max)
            {
                line = $"over budget   {name}: {allocated} B per operation, budget {max} B";
                failed++;
            }
            else
            {
                line = $"ok            {name}: {allocated} B per operation, budget {max} B";
                passed++;
            }

            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"allocation budget: {line}"));
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{passed} passed, {failed} failed"));
        TryDelete(artifacts);
        return failed == 0 ? 0 : 1;
    }

    /// <summary>"Type.Method", or "Type.Method(Name=Value, ...)" for a parameterised case: the budget file's keys.</summary>
    public static string NameOf(BenchmarkCase benchmark)
    {
        string name = $"{benchmark.Descriptor.Type.Name}.{benchmark.Descriptor.WorkloadMethod.Name}";
        if (benchmark.Parameters.Count == 0)
        {
            return name;
        }

        return name + "(" + string.Join(", ", benchmark.Parameters.Items.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Name}={p.Value}"))) + ")";
    }

    private static Dictionary<string, long> Read(string file)
    {
        using FileStream stream = File.OpenRead(file);
        using JsonDocument document = JsonDocument.Parse(stream);
        var budget = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (JsonProperty entry in document.RootElement.GetProperty("budgets").EnumerateObject())
        {
            budget[entry.Name] = entry.Value.GetInt64();
        }

        return budget;
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}
