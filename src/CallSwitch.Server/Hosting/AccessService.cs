using CallSwitch.Compliance.Access;
using CallSwitch.Compliance.Storage;
using Microsoft.Extensions.Hosting;
using Serilog;

namespace CallSwitch.Server.Hosting;

/// <summary>
/// Keeps the switch's access data current while it runs: loads the users at start and reads them
/// again every <see cref="UserReloadPeriod"/> (a change made by <c>callswitch users</c> in another
/// process reaches the running switch), and publishes the audit chain's head to the switch's log
/// every <see cref="AnchorPeriod"/> and at stop (the anchors <c>audit verify --anchor</c> checks a
/// cut tail against). Both timers run on the host's <see cref="TimeProvider"/>.
/// </summary>
/// <remarks>Starts after the archive (the store is open), stops before it (the last anchor is read from an open store).</remarks>
internal sealed class AccessService : IHostedService, IAsyncDisposable
{
    /// <summary>How often the users are read again.</summary>
    public static readonly TimeSpan UserReloadPeriod = TimeSpan.FromSeconds(30);

    /// <summary>How often the audit chain's head is published.</summary>
    public static readonly TimeSpan AnchorPeriod = TimeSpan.FromHours(1);

    private readonly SwitchAccess _access;
    private readonly IMetadataStore? _store;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private UserDirectory? _users;
    private ITimer? _reload;
    private AuditAnchorPublisher? _anchors;
    private int _reloading;

    public AccessService(SwitchAccess access, IMetadataStore? store, TimeProvider time, ILogger log)
    {
        _access = access;
        _store = store;
        _time = time;
        _log = log;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_store is null)
        {
            _log.Information("No store: no CallSwitch user can act on the running switch (supervision and listening refused)");
            return;
        }

        _users = await UserDirectory.LoadAsync(_store, _store, _time, cancellationToken).ConfigureAwait(false);
        _access.Attach(_users);
        _reload = _time.CreateTimer(_ => _ = ReloadAsync(), null, UserReloadPeriod, UserReloadPeriod);
        _anchors = AuditAnchorPublisher.Start(_store, _time, AnchorPeriod, Publish, e => _log.Error("Audit anchor not published: {Error}", e.Message));
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_anchors is { } anchors)
        {
            try
            {
                await anchors.PublishNowAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is MetadataStoreException or ObjectDisposedException or InvalidOperationException)
            {
                _log.Error("Last audit anchor not published: {Error}", e.Message);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // The host's shutdown time ran out (a periodic publish still held the gate): the
                // switch stops all the same; the next start's first anchor covers these entries.
                _log.Warning("Last audit anchor not published: the shutdown's time ran out");
            }
        }

        await DisposeAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _reload, null) is { } reload)
        {
            await reload.DisposeAsync().ConfigureAwait(false);
        }

        if (Interlocked.Exchange(ref _anchors, null) is { } anchors)
        {
            await anchors.DisposeAsync().ConfigureAwait(false);
        }

        _access.Attach(null);
        Interlocked.Exchange(ref _users, null)?.Dispose();
    }

    /// <summary>Reads the users again now (the timer's work; tests call it too).</summary>
    internal async Task ReloadAsync()
    {
        // A slow store must not pile up reloads: one at a time, the next period tries again.
        if (Volatile.Read(ref _users) is not { } users || Interlocked.Exchange(ref _reloading, 1) == 1)
        {
            return;
        }

        try
        {
            await users.ReloadAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _log.Error("Users not reloaded: {Error}; the last loaded users stay in force", e.Message);
        }
        finally
        {
            Volatile.Write(ref _reloading, 0);
        }
    }

    // One event per anchor: an operator (or a log shipper) keeps these lines outside the store.
    private void Publish(AuditAnchor anchor) =>
        _log.Information("Audit anchor {AuditAnchor} (audit chain head at sequence {AuditSequence})", anchor.ToString(), anchor.Sequence);
}
