namespace CallSwitch.Compliance.Storage;

/// <summary>One retention run, as recorded for <c>callswitch retention status</c>.</summary>
/// <param name="StartedAt">When it started (real time).</param>
/// <param name="EndedAt">When it ended.</param>
/// <param name="AsOf">The instant deadlines were compared with.</param>
/// <param name="Purged">Recordings erased.</param>
/// <param name="Held">Due recordings kept by a hold.</param>
/// <param name="Failed">Due recordings whose erasure failed.</param>
public sealed record RetentionRun(DateTimeOffset StartedAt, DateTimeOffset EndedAt, DateTimeOffset AsOf, long Purged, long Held, long Failed);
