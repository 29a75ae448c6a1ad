using CallSwitch.Compliance.Requests;
using Microsoft.Extensions.Hosting;
using Serilog;

namespace CallSwitch.Server.Hosting;

/// <summary>
/// The do-not-call list the router reads (<see cref="DoNotCallCache"/>): loaded after the archive
/// starts and before SIP opens, so the first call is already checked; reloaded on its timer until
/// the switch stops (before the store closes).
/// </summary>
internal sealed class DoNotCallRefresh : IHostedService
{
    private readonly DoNotCallCache? _cache;
    private readonly ILogger _log;

    public DoNotCallRefresh(DoNotCallCache? cache, ILogger log)
    {
        _cache = cache;
        _log = log;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_cache is null)
        {
            return;
        }

        await _cache.StartAsync(cancellationToken).ConfigureAwait(false);
        _log.Information("Do-not-call list: {Count} number(s), checked for changes every {Seconds} s", _cache.Count, DoNotCallCache.DefaultRefresh.TotalSeconds);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_cache is not null)
        {
            await _cache.DisposeAsync().ConfigureAwait(false);
        }
    }
}
