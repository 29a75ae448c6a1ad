using System.Diagnostics;

namespace CallSwitch.TestSupport.Peers;

/// <summary>
/// Waits for something a peer process prints or reports (a console line, an event): looked for in
/// what arrived so far, then again each time more arrives, until a deadline; fails at once when the
/// process exits first. Shared by the softphone drivers.
/// </summary>
internal static class PeerWait
{
    /// <summary>Waits until <paramref name="look"/> finds what it looks for.</summary>
    /// <param name="look">
    /// Looks at what arrived so far (under the peer's own lock): the thing found, or null and a task
    /// that completes when more arrives.
    /// </param>
    /// <param name="process">The peer's process.</param>
    /// <param name="what">What is awaited, for the failure messages ("linphonec printed no /x/", "baresip reported no X").</param>
    /// <param name="timeout">How long to wait.</param>
    /// <param name="state">The peer's output, appended to a failure.</param>
    public static async Task<T> UntilAsync<T>(Func<(T? Found, Task Arrived)> look, Process process, (string Exited, string Missing) what, TimeSpan timeout, Func<string> state)
        where T : class
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            (T? found, Task arrived) = look();
            if (found is not null)
            {
                return found;
            }

            if (process.HasExited)
            {
                throw new InvalidOperationException($"{what.Exited} (code {process.ExitCode})\n{state()}");
            }

            try
            {
                await arrived.WaitAsync(TimeSpan.FromMilliseconds(200), deadline.Token).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Look at the process again.
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"{what.Missing} within {timeout.TotalSeconds:F0} s\n{state()}");
            }
        }
    }
}
