namespace CallSwitch.Compliance.Storage;

/// <summary>Something done with recordings, to append to the audit log: who, what, when, why, which recording.</summary>
/// <param name="At">When.</param>
/// <param name="Actor">Who (user name, or a process such as "retention").</param>
/// <param name="Action">What.</param>
/// <param name="RecordingId">Which recording; null for actions on many (a search).</param>
/// <param name="Purpose">Why: the purpose stated by the actor.</param>
/// <param name="Detail">More about the action (search criteria, export target); never audio or keys.</param>
public sealed record AuditEvent(DateTimeOffset At, string Actor, AuditAction Action, Guid? RecordingId, string Purpose, string? Detail = null);
