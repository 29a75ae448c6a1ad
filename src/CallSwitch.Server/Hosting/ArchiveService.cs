using CallSwitch.Calls.Recording;
using CallSwitch.Compliance.Storage;
using Microsoft.Extensions.Hosting;
using Serilog;

namespace CallSwitch.Server.Hosting;

/// <summary>
/// The call and recording archive. At start, before SIP opens: what an earlier run left in
/// progress (a crash) is repaired and closed, then the spool is swept. At stop, after every call
/// ended: the pending writes are flushed and the store closed.
/// </summary>
internal sealed class ArchiveService : IHostedService
{
    private readonly CallArchive? _archive;
    private readonly RecordingService? _recordings;
    private readonly ILogger _log;
    private readonly WriteLatencyHistogram? _writeLatency;
    private int _stopped;

    public ArchiveService(CallArchive? archive, RecordingService? recordings, ILogger log, WriteLatencyHistogram? writeLatency = null)
    {
        _archive = archive;
        _writeLatency = writeLatency;
        _recordings = recordings;
        _log = log;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_archive is null)
        {
            return;
        }

        // Before any call: what an earlier run left in progress (a crash) is repaired and closed, then the spool is swept.
        await StartupRecovery.RunAsync(_archive.Store, _recordings?.Vault, _log, cancellationToken).ConfigureAwait(false);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_archive is not null && Interlocked.Exchange(ref _stopped, 1) == 0)
        {
            await _archive.DisposeAsync().ConfigureAwait(false);

            // One line for the run (the load harness reads it; /metrics has the same figures live).
            if (_writeLatency is not null)
            {
                _log.Information("Metadata store writer latency (queued to committed): {WriteLatency}", _writeLatency.Snapshot().ToString());
            }
        }
    }
}
