namespace CallSwitch.Compliance.Storage;

/// <summary>
/// Hands the audit chain's head to somewhere outside the store (the switch's log, a syslog
/// server) every period, when it moved: the anchors that let <c>audit verify</c> see a cut tail.
/// </summary>
/// <remarks>Thread-safe. A publication still running when the timer fires again is not doubled.</remarks>
public sealed class AuditAnchorPublisher : IAsyncDisposable
{
    private readonly IAuditLog _log;
    private readonly Action<AuditAnchor> _publish;
    private readonly Action<Exception> _failed;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ITimer _timer;
    private AuditAnchor? _last;

    private AuditAnchorPublisher(IAuditLog log, TimeProvider time, TimeSpan period, Action<AuditAnchor> publish, Action<Exception> failed)
    {
        _log = log;
        _publish = publish;
        _failed = failed;
        _timer = time.CreateTimer(_ => _ = OnTimerAsync(), null, period, period);
    }

    /// <summary>Starts publishing every <paramref name="period"/>.</summary>
    /// <param name="log">The audit log.</param>
    /// <param name="time">The clock.</param>
    /// <param name="period">How often (an hour is usual).</param>
    /// <param name="publish">Where the anchor goes (e.g. an information line of the switch's log).</param>
    /// <param name="failed">Told when the head cannot be read (the next period tries again).</param>
    public static AuditAnchorPublisher Start(IAuditLog log, TimeProvider time, TimeSpan period, Action<AuditAnchor> publish, Action<Exception> failed)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(publish);
        ArgumentNullException.ThrowIfNull(failed);
        ArgumentOutOfRangeException.ThrowIfLessThan(period, TimeSpan.FromSeconds(1));
        return new AuditAnchorPublisher(log, time, period, publish, failed);
    }

    /// <summary>Publishes the head now if it moved since the last one (at shutdown, and in tests); returns it.</summary>
    public async Task<AuditAnchor?> PublishNowAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            AuditAnchor? head = await _log.AuditHeadAsync(cancellationToken).ConfigureAwait(false);
            if (head is not null && head != _last)
            {
                _publish(head);
                _last = head;
            }

            return head;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Stops the timer.</summary>
    public async ValueTask DisposeAsync()
    {
        await _timer.DisposeAsync().ConfigureAwait(false);
    }

    private async Task OnTimerAsync()
    {
        try
        {
            await PublishNowAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A timer callback has no caller: say it, try again next period.
            _failed(e);
        }
    }
}
