namespace CallSwitch.Recording.Tests.Support;

/// <summary>Waits for work done on threads of its own (the crew, the vault's writer, a producer): a bounded wait, never a timed assertion.</summary>
internal static class Poll
{
    /// <summary>Waits, at most 10 s of real time, until <paramref name="condition"/> holds; fails with <paramref name="what"/> otherwise.</summary>
    public static async Task UntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(2);
        }

        Assert.True(condition(), "not reached within 10 s: " + what);
    }
}
