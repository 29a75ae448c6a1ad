using System.Text;
using CallSwitch.Calls.Control;
using Microsoft.Extensions.Hosting;

namespace CallSwitch.Server.WebConsole.Live;

/// <summary>
/// The live board's one feed for every connected browser: it reads the live list from the
/// call-control façade when a call changes (and once a second, to catch recording changes made
/// by the agents' keys, which are not announced), works out what changed since the last look,
/// serialises each changed call once, and hands each client the changes it may see.
/// </summary>
/// <remarks>
/// Cost stays flat in the number of browsers: one diff and one serialisation per changed call per
/// round, whatever the number of clients; at most <see cref="MaxRoundsPerSecond"/> rounds a
/// second however busy the switch is, and none while no browser is connected. The façade's
/// event only releases a semaphore (it is raised on the call's own task and must return at once).
/// </remarks>
public sealed class LiveBoard : BackgroundService
{
    /// <summary>The most rounds a second.</summary>
    public const int MaxRoundsPerSecond = 4;

    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);
    private readonly ConsoleServices _services;
    private readonly Lock _gate = new();
    private readonly List<LiveBoardClient> _clients = [];
    private readonly SemaphoreSlim _wake = new(0, 1);
    private Dictionary<string, (LiveCallSnapshot Call, string Json)> _current = new(StringComparer.Ordinal);
    private ICallControl? _subscribed;

    /// <summary>Creates the board over the console's services.</summary>
    public LiveBoard(ConsoleServices services, ConsoleListener listener, IHostApplicationLifetime lifetime, Serilog.ILogger log)
    {
        _services = services;

        // Said once Kestrel listens (after the hosted services started), with the real port.
        lifetime.ApplicationStarted.Register(() => log.Information("Web console listening on http://{EndPoint}/ (behind a TLS reverse proxy for anything but loopback)", listener.EndPoint));
    }

    /// <summary>Browsers connected now.</summary>
    public int ClientCount
    {
        get
        {
            lock (_gate)
            {
                return _clients.Count;
            }
        }
    }

    /// <summary>Adds a client; it is sent the whole list first (the calls it may see).</summary>
    public void Add(LiveBoardClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        lock (_gate)
        {
            _clients.Add(client);
            client.Send(Message(_current.Values, [], client, snapshot: true)!);
        }

        // With no browser before, the board was idle: the next round sends this one every call.
        Wake();
    }

    /// <summary>Removes a client (its browser left).</summary>
    public void Remove(LiveBoardClient client)
    {
        lock (_gate)
        {
            _clients.Remove(client);
        }
    }

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _subscribed, null) is { } calls)
        {
            calls.Changed -= OnChanged;
        }

        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        ICallControl calls = _services.Calls;
        calls.Changed += OnChanged;
        _subscribed = calls;
        TimeSpan gap = TimeSpan.FromSeconds(1.0 / MaxRoundsPerSecond);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await _wake.WaitAsync(Poll, stoppingToken).ConfigureAwait(false);
                if (ClientCount == 0)
                {
                    // Nobody watches: no look at the live list at all; the first browser starts from nothing.
                    lock (_gate)
                    {
                        _current = new Dictionary<string, (LiveCallSnapshot, string)>(StringComparer.Ordinal);
                    }

                    continue;
                }

                Round();
                await Task.Delay(gap, _services.Time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One look at the live list: what joined, changed or left goes to the clients.</summary>
    internal void Round()
    {
        IReadOnlyList<LiveCallSnapshot> calls = _services.Calls.List();
        var next = new Dictionary<string, (LiveCallSnapshot, string)>(calls.Count, StringComparer.Ordinal);
        var changed = new List<(LiveCallSnapshot Call, string Json)>();
        foreach (LiveCallSnapshot call in calls)
        {
            if (_current.TryGetValue(call.Id, out (LiveCallSnapshot Call, string Json) known) && known.Call == call)
            {
                next[call.Id] = known;
                continue;
            }

            var entry = (call, LiveCallView.Json(call));
            next[call.Id] = entry;
            changed.Add(entry);
        }

        List<string> removed = [.. _current.Keys.Where(id => !next.ContainsKey(id))];
        lock (_gate)
        {
            _current = next;
            if (changed.Count == 0 && removed.Count == 0)
            {
                return;
            }

            foreach (LiveBoardClient client in _clients)
            {
                if (Message(changed, removed, client, snapshot: false) is { } message && !client.Send(message))
                {
                    client.Restart(Message(next.Values, [], client, snapshot: true)!);
                }

                client.Forget(removed);
            }
        }
    }

    private void OnChanged(LiveCallChange change) => Wake();

    private void Wake()
    {
        // A wake already pending covers this one too.
        try
        {
            if (_wake.CurrentCount == 0)
            {
                _wake.Release();
            }
        }
        catch (SemaphoreFullException)
        {
            // Another change woke it between the check and the release.
        }
        catch (ObjectDisposedException)
        {
            // The host is stopping.
        }
    }

    /// <summary>The event for one client: the calls it may see, with what it may do on each; null when nothing concerns it.</summary>
    private string? Message(IEnumerable<(LiveCallSnapshot Call, string Json)> calls, IReadOnlyList<string> removed, LiveBoardClient client, bool snapshot)
    {
        var json = new StringBuilder(256);
        json.Append("{\"snapshot\":").Append(snapshot ? "true" : "false")
            .Append(",\"now\":").Append(_services.Time.GetUtcNow().ToUnixTimeMilliseconds())
            .Append(",\"calls\":[");
        int count = 0;
        foreach ((LiveCallSnapshot call, string text) in calls)
        {
            if (client.Rights(call) is not { Listen: true } rights)
            {
                continue;
            }

            json.Append(count++ == 0 ? "" : ",").Append("{\"call\":").Append(text)
                .Append(",\"mayControl\":").Append(rights.Control ? "true" : "false").Append('}');
        }

        json.Append("],\"removed\":[");
        int gone = 0;
        foreach (string id in removed.Where(client.Saw))
        {
            json.Append(gone++ == 0 ? "" : ",").Append(System.Text.Json.JsonSerializer.Serialize(id));
        }

        json.Append("]}");
        return snapshot || count + gone > 0 ? json.ToString() : null;
    }
}
