using System.Diagnostics.Tracing;

namespace CallSwitch.Server.Metrics;

/// <summary>
/// Each garbage-collection pause of this process, timed from the runtime's own GC events
/// (<c>Microsoft-Windows-DotNETRuntime</c>, GC keyword, informational level): a pause runs from
/// <c>GCSuspendEEBegin</c> (the runtime starts stopping the managed threads for a GC) to
/// <c>GCRestartEEEnd</c> (they run again), the definition PerfView's GCStats uses. A background
/// gen-2 collection shows as its short pauses only, not its concurrent marking.
/// </summary>
/// <remarks>
/// The runtime hands the events to a thread of its own in batches, a few per collection: nothing
/// here runs on the media or signalling path, and nothing runs between collections. The process's
/// collections are counted however many listeners there are (two switches in one test process
/// each see every pause).
/// </remarks>
internal sealed class GcPauseListener : EventListener
{
    private const string RuntimeSource = "Microsoft-Windows-DotNETRuntime";
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private const int RestartEeEnd = 3;
    private const int SuspendEeBegin = 9;

    // SUSPEND_FOR_GC and SUSPEND_FOR_GC_PREP: the runtime also suspends for the debugger, for
    // re-JIT and at shutdown, which are not the collector's pauses.
    private const uint SuspendForGc = 1;
    private const uint SuspendForGcPrep = 6;

    // Initialised with the field (before the base constructor, which may already deliver
    // OnEventSourceCreated for sources that exist).
    private readonly Lock _lock = new();
    private DateTime _suspendedAt;
    private bool _suspended;
    private Action<TimeSpan>? _paused;
    private long _count;
    private long _longestTicks;

    /// <summary>Told of each pause, on the runtime's event thread; set once after construction.</summary>
    public Action<TimeSpan>? Paused
    {
        get => Volatile.Read(ref _paused);
        set => Volatile.Write(ref _paused, value);
    }

    /// <summary>Pauses seen since the listener started.</summary>
    public long Count => Interlocked.Read(ref _count);

    /// <summary>The longest pause seen since the listener started.</summary>
    public TimeSpan Longest => TimeSpan.FromTicks(Interlocked.Read(ref _longestTicks));

    /// <inheritdoc />
    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == RuntimeSource)
        {
            EnableEvents(eventSource, EventLevel.Informational, GcKeyword);
        }
    }

    /// <inheritdoc />
    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.EventId == SuspendEeBegin)
        {
            uint reason = eventData.Payload is [var first, ..] && first is uint r ? r : SuspendForGc;
            lock (_lock)
            {
                _suspended = reason is SuspendForGc or SuspendForGcPrep;
                _suspendedAt = eventData.TimeStamp;
            }
        }
        else if (eventData.EventId == RestartEeEnd)
        {
            TimeSpan pause;
            lock (_lock)
            {
                if (!_suspended)
                {
                    return;
                }

                _suspended = false;
                pause = eventData.TimeStamp - _suspendedAt;
                if (pause < TimeSpan.Zero)
                {
                    return;
                }

                // Written under the lock, read without it (Count, Longest).
                Interlocked.Increment(ref _count);
                if (pause.Ticks > _longestTicks)
                {
                    Interlocked.Exchange(ref _longestTicks, pause.Ticks);
                }
            }

            Paused?.Invoke(pause);
        }
    }
}
