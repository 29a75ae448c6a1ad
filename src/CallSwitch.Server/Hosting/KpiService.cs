using CallSwitch.Server.Metrics;
using Microsoft.Extensions.Hosting;

namespace CallSwitch.Server.Hosting;

/// <summary>Runs the KPI gauges' refresh while the switch runs (only with a store: the indicators are computed from it).</summary>
internal sealed class KpiService(KpiGauges? gauges) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        gauges?.Start();
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (gauges is not null)
        {
            await gauges.DisposeAsync().ConfigureAwait(false);
        }
    }
}
