namespace CallSwitch.Compliance.Storage;

/// <summary>
/// An entry of the append-only audit log. The sequence numbers are gap-free in commit order, so a
/// hash chain (each entry hashing its predecessor's hash) can be laid over them later.
/// </summary>
/// <param name="Sequence">Position in the log, from 1.</param>
/// <param name="Event">What was recorded.</param>
public sealed record AuditEntry(long Sequence, AuditEvent Event);
