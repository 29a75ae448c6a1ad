namespace CallSwitch.Compliance.Storage;

/// <summary>
/// An entry of the append-only audit log. The sequence numbers are gap-free in commit order, and
/// each entry's <see cref="Hash"/> covers its content and its predecessor's hash (<see cref="AuditChain"/>).
/// </summary>
/// <param name="Sequence">Position in the log, from 1.</param>
/// <param name="Event">What was recorded.</param>
/// <param name="Hash">The entry's chain hash (lower-case hex SHA-256); null for entries written before the chain existed.</param>
public sealed record AuditEntry(long Sequence, AuditEvent Event, string? Hash = null);
