namespace CallSwitch.Media.Tests.Relay;

/// <summary>
/// Disjoint port ranges for the relays of parallel tests (and of other test processes on the
/// same machine, mostly: the allocator skips ports that something else holds anyway).
/// </summary>
internal static class TestPortRanges
{
    private const int Size = 100;
    private static int _next = 30000 + ((Environment.ProcessId % 90) * 300);

    public static (int Min, int Max) Next()
    {
        int start = Interlocked.Add(ref _next, Size) - Size;
        if (start + Size > 59999)
        {
            Interlocked.Exchange(ref _next, 30000);
            return Next();
        }

        return (start, start + Size - 1);
    }
}
