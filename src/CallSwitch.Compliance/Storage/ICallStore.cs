namespace CallSwitch.Compliance.Storage;

/// <summary>
/// Where every call through the switch is kept, recorded or not.
/// </summary>
/// <remarks>
/// Thread-safe. Writes are queued to the store's single writer and applied in the order they were
/// queued: a caller that saves a call and then a recording of it, without awaiting in between,
/// still gets them applied in that order.
/// </remarks>
public interface ICallStore
{
    /// <summary>Saves a call: inserts it, or replaces the call with the same id. Completes once committed.</summary>
    /// <exception cref="ArgumentException">A field is invalid (the number is not E.164, a hash is not SHA-256 hex).</exception>
    Task SaveCallAsync(CallRecord call, CancellationToken cancellationToken = default);

    /// <summary>
    /// Queues a call to be saved and returns at once, without waiting for the disk: for the call
    /// path. A write that fails later is counted and reported to the store's failure handler.
    /// </summary>
    /// <returns>False if the queue is full (the disk is stalled) and the call record was dropped; that is reported too.</returns>
    /// <exception cref="ArgumentException">A field is invalid.</exception>
    bool EnqueueCall(CallRecord call);

    /// <summary>
    /// Gives every call still without an end (the switch stopped without ending it) the end
    /// <paramref name="reason"/>, at the last instant it was known alive: the latest of its start,
    /// its answer and the end of its recordings (so repair recordings first). For start-up, before
    /// calls are taken.
    /// </summary>
    /// <returns>The number of calls ended.</returns>
    Task<int> EndOpenCallsAsync(string reason, CancellationToken cancellationToken = default);

    /// <summary>Reads a call by id; null if unknown.</summary>
    Task<CallRecord?> GetCallAsync(string callId, CancellationToken cancellationToken = default);
}
