using CallSwitch.Media.Announcements;
using CallSwitch.Media.Relay;
using Microsoft.Extensions.Hosting;

namespace CallSwitch.Server.Hosting;

/// <summary>The media clock (notices, 20 ms pacing) and the relay: started before SIP opens, closed after it.</summary>
internal sealed class MediaService : IHostedService
{
    private readonly MediaClock _clock;
    private readonly MediaRelay _relay;
    private int _stopped;

    public MediaService(MediaClock clock, MediaRelay relay)
    {
        _clock = clock;
        _relay = relay;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _clock.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        // A host whose start failed part-way may be stopped twice.
        if (Interlocked.Exchange(ref _stopped, 1) == 0)
        {
            _clock.Dispose();
            _relay.Dispose();
        }

        return Task.CompletedTask;
    }
}
