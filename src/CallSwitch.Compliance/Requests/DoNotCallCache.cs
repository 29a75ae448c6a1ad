using System.Collections.Frozen;

namespace CallSwitch.Compliance.Requests;

/// <summary>
/// The do-not-call list in memory, for the call path: loaded from the store, then reloaded on a
/// timer when its version changed (the CLI and the console change the list from other processes). A look-up reads an
/// immutable snapshot swapped whole, so a SIP thread never waits for SQL nor for a lock.
/// </summary>
/// <remarks>Thread-safe. A failed reload keeps the previous snapshot and is reported to the failure callback.</remarks>
public sealed class DoNotCallCache : IDoNotCallList, IAsyncDisposable
{
    private const string EveryCampaign = "";

    /// <summary>How often the list is read again by default.</summary>
    public static readonly TimeSpan DefaultRefresh = TimeSpan.FromSeconds(5);

    private readonly IDoNotCallStore _store;
    private readonly TimeProvider _time;
    private readonly TimeSpan _every;
    private readonly Action<Exception>? _reloadFailed;
    private readonly SemaphoreSlim _reloading = new(1, 1);
    private volatile FrozenDictionary<string, string[]> _numbers = FrozenDictionary<string, string[]>.Empty;
    private long _loadedVersion = -1;
    private ITimer? _timer;
    private int _disposed;

    /// <summary>An empty list until <see cref="StartAsync"/> loads it.</summary>
    /// <param name="store">Where the list is kept.</param>
    /// <param name="time">The reload timer's clock.</param>
    /// <param name="every">How often it is read again.</param>
    /// <param name="reloadFailed">Told of a reload that failed (the previous list stays).</param>
    /// <exception cref="ArgumentOutOfRangeException">The period is not positive.</exception>
    public DoNotCallCache(IDoNotCallStore store, TimeProvider time, TimeSpan every, Action<Exception>? reloadFailed = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(every, TimeSpan.Zero);
        _store = store;
        _time = time;
        _every = every;
        _reloadFailed = reloadFailed;
    }

    /// <summary>How many numbers are listed (for any campaign).</summary>
    public int Count => _numbers.Count;

    /// <summary>Loads the list (awaited: a switch must not take calls before it knows it), then reloads it on the timer.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await ReloadAsync(cancellationToken).ConfigureAwait(false);
        _timer = _time.CreateTimer(_ => _ = ReloadInBackgroundAsync(), null, _every, _every);
    }

    /// <inheritdoc />
    public bool IsListed(string number, string? campaignId)
    {
        if (number is null || !_numbers.TryGetValue(number, out string[]? campaigns))
        {
            return false;
        }

        foreach (string campaign in campaigns)
        {
            if (campaign.Length == 0 || string.Equals(campaign, campaignId, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Reads the list from the store now, if it changed since the last read, and swaps the snapshot.</summary>
    public async Task ReloadAsync(CancellationToken cancellationToken = default)
    {
        await _reloading.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // One row tells whether the list changed; read before the list, so a change made between
            // the two reads is read again at the next reload, never missed.
            long version = await _store.DoNotCallVersionAsync(cancellationToken).ConfigureAwait(false);
            if (version == _loadedVersion)
            {
                return;
            }

            IReadOnlyList<DoNotCallEntry> entries = await _store.ListDoNotCallAsync(cancellationToken).ConfigureAwait(false);
            _numbers = entries
                .GroupBy(e => e.Number, StringComparer.Ordinal)
                .ToFrozenDictionary(g => g.Key, g => g.Select(e => e.CampaignId ?? EveryCampaign).ToArray(), StringComparer.Ordinal);
            _loadedVersion = version;
        }
        finally
        {
            _reloading.Release();
        }
    }

    /// <summary>Stops reloading.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (_timer is not null)
        {
            await _timer.DisposeAsync().ConfigureAwait(false);
        }

        await _reloading.WaitAsync().ConfigureAwait(false);
        _reloading.Dispose();
    }

    private async Task ReloadInBackgroundAsync()
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        try
        {
            await ReloadAsync().ConfigureAwait(false);
        }
        catch (ObjectDisposedException) when (Volatile.Read(ref _disposed) != 0)
        {
            // Stopped while this reload was starting.
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The previous snapshot stays: a stalled disk must not open the list up.
            _reloadFailed?.Invoke(e);
        }
    }
}
