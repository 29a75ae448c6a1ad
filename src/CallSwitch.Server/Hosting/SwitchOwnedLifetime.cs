using Microsoft.Extensions.Hosting;

namespace CallSwitch.Server.Hosting;

/// <summary>
/// A host lifetime that leaves signals to the caller: the command line turns SIGTERM and Ctrl+C
/// into the stop token of <see cref="SwitchHost.RunAsync"/>, and tests start several switches in
/// one process, none of which may take the process's signals.
/// </summary>
internal sealed class SwitchOwnedLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
