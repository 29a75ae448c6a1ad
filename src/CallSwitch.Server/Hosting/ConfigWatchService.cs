using CallSwitch.Configuration;
using Microsoft.Extensions.Hosting;
using Serilog;

namespace CallSwitch.Server.Hosting;

/// <summary>Watches the configuration file (changes and SIGHUP) and applies each valid new version.</summary>
internal sealed class ConfigWatchService : IHostedService, IDisposable
{
    private readonly string? _path;
    private readonly RunningConfig _config;
    private readonly ILogger _log;
    private ConfigWatcher? _watcher;

    public ConfigWatchService(string? path, RunningConfig config, ILogger log)
    {
        _path = path;
        _config = config;
        _log = log;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (_path is not null)
        {
            _watcher = new ConfigWatcher(_path, _config.Current, _log);
            _watcher.Changed += (_, e) => _config.Apply(e.Current);
            _watcher.Start();
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        Interlocked.Exchange(ref _watcher, null)?.Dispose();
    }
}
