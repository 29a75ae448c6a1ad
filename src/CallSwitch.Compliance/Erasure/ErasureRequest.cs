namespace CallSwitch.Compliance.Erasure;

/// <summary>A request to erase one recording.</summary>
/// <param name="RecordingId">The recording.</param>
/// <param name="Actor">Who erases it (a user, or <c>retention</c>).</param>
/// <param name="Reason">Why: <c>retention-expired</c>, a data-subject request's reference…</param>
/// <param name="Detail">More for the audit entry (the rule and the deadline); never a phone number.</param>
public sealed record ErasureRequest(Guid RecordingId, string Actor, string Reason, string? Detail = null);
