namespace CallSwitch.Compliance.Storage;

/// <summary>
/// Legal holds on recordings, calls, numbers, campaigns and date ranges. A recording any active
/// hold covers is never erased (<see cref="IErasureStore.MarkErasingAsync"/> refuses it). Placing,
/// releasing and expiring are each audited in the same transaction.
/// </summary>
/// <remarks>Thread-safe.</remarks>
public interface ILegalHoldStore
{
    /// <summary>Places a hold; returns it as stored.</summary>
    /// <exception cref="ArgumentException">The scope's target is missing, a range is empty, or a text is blank.</exception>
    Task<LegalHold> PlaceHoldAsync(NewLegalHold hold, CancellationToken cancellationToken = default);

    /// <summary>Releases an active hold. False if no active hold has this id.</summary>
    Task<bool> ReleaseHoldAsync(Guid holdId, string releasedBy, string reason, CancellationToken cancellationToken = default);

    /// <summary>Releases, as <c>retention</c>, every hold whose expiry is at or before <paramref name="now"/>; returns how many.</summary>
    Task<int> ExpireHoldsAsync(DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>The holds, newest first; released ones too when <paramref name="includeReleased"/>.</summary>
    Task<IReadOnlyList<LegalHold>> ListHoldsAsync(bool includeReleased, CancellationToken cancellationToken = default);
}
