namespace CallSwitch.Compliance.Storage;

/// <summary>A legal hold as stored.</summary>
/// <param name="Id">The hold's id.</param>
/// <param name="Hold">What was placed.</param>
/// <param name="PlacedAt">When.</param>
/// <param name="ReleasedAt">When it was released or expired; null while active.</param>
/// <param name="ReleasedBy">Who released it (<c>retention</c> when it expired).</param>
/// <param name="ReleaseReason">Why.</param>
public sealed record LegalHold(Guid Id, NewLegalHold Hold, DateTimeOffset PlacedAt, DateTimeOffset? ReleasedAt, string? ReleasedBy, string? ReleaseReason)
{
    /// <summary>Whether it holds at <paramref name="now"/>: not released, not expired.</summary>
    public bool IsActiveAt(DateTimeOffset now) => ReleasedAt is null && (Hold.ExpiresAt is not { } expires || expires > now);
}
