namespace CallSwitch.Server.SelfTest;

/// <summary>Polling for a state of the isolated switch: every 20 ms, until the self-test's budget runs out.</summary>
internal static class CallWaits
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);

    /// <summary>Returns once <paramref name="condition"/> holds.</summary>
    /// <exception cref="OperationCanceledException">The budget ran out first.</exception>
    public static async Task UntilAsync(Func<bool> condition, CancellationToken cancellationToken)
    {
        while (!condition())
        {
            await Task.Delay(Poll, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Returns the first non-null value of <paramref name="probe"/>.</summary>
    /// <exception cref="OperationCanceledException">The budget ran out first.</exception>
    public static async Task<T> UntilAsync<T>(Func<Task<T?>> probe, CancellationToken cancellationToken)
        where T : class
    {
        while (true)
        {
            if (await probe().ConfigureAwait(false) is { } value)
            {
                return value;
            }

            await Task.Delay(Poll, cancellationToken).ConfigureAwait(false);
        }
    }
}
