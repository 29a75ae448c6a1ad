using BenchmarkDotNet.Attributes;
using CallSwitch.Compliance.Requests;

namespace CallSwitch.Benchmarks.Requests;

/// <summary>
/// Finding everything of a number (its calls, its recordings with pauses and purposes, the
/// tombstones by its keyed hash): the store's look-up an access bundle and an erasure start with.
/// Target &lt; 100 ms on the generated store.
/// </summary>
[MemoryDiagnoser]
public class RequestLookupBenchmarks : RequestStoreBenchmark
{
    /// <summary>An ordinary number (3 calls, 1 recording) or a heavy one (50 and 50).</summary>
    [Params("ordinary", "heavy")]
    public string Number { get; set; } = "ordinary";

    [Benchmark]
    public async Task<int> FindEverythingOfANumber()
    {
        // Heavy number 0 is never erased (the erasure benchmark starts at 1).
        string number = Number == "heavy" ? RequestStore.Heavy(0) : RequestStore.Ordinary(Random.Shared.Next(RequestStore.Numbers));
        NumberRecords found = await Store.FindByNumberAsync(number, Vault.Digest(number));
        return found.Calls.Count + found.Recordings.Count;
    }
}
