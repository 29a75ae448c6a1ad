using BenchmarkDotNet.Attributes;
using CallSwitch.Compliance.Requests;

namespace CallSwitch.Benchmarks.Requests;

/// <summary>
/// Answering an erasure request for a number with 50 recordings through the service: each
/// recording through the one eraser (mark, key destroyed, file deleted and its folder fsynced,
/// tombstone + audit + signed receipt in one transaction), then the call rows redacted and the
/// request closed. One number per operation (each has real keys and files). Target &lt; 1 s.
/// </summary>
[MemoryDiagnoser]
public class RequestErasureBenchmarks : RequestStoreBenchmark
{
    private int _nextHeavy = 1;
    private long _request;

    [IterationSetup]
    public void OpenErasure()
    {
        // Heavy numbers erased by an earlier run are skipped.
        while (_nextHeavy < RequestStore.HeavyNumbers
               && !Store.FindByNumberAsync(RequestStore.Heavy(_nextHeavy), Vault.Digest(RequestStore.Heavy(_nextHeavy))).GetAwaiter().GetResult().Live.Any())
        {
            _nextHeavy++;
        }

        if (_nextHeavy >= RequestStore.HeavyNumbers)
        {
            throw new InvalidOperationException($"every heavy number of {RequestStore.Folder} is erased: delete the folder to generate it again");
        }

        _request = Service.OpenAsync(Dpo, RequestKind.Erasure, RequestStore.Heavy(_nextHeavy++), "bench", null, null).GetAwaiter().GetResult().Id;
    }

    [Benchmark]
    [InvocationCount(1)]
    public async Task<int> EraseANumberWith50Recordings()
    {
        RequestAnswer answer = await Service.FulfilAsync(Dpo, _request, null);
        return answer.Receipts.Count == RequestStore.HeavyRecordings
            ? answer.Receipts.Count
            : throw new InvalidOperationException($"{answer.Receipts.Count} receipts: {string.Join("; ", answer.Lines)}");
    }
}
