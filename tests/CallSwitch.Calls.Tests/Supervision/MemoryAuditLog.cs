using CallSwitch.Compliance.Storage;

namespace CallSwitch.Calls.Tests.Supervision;

/// <summary>An audit log in memory: appends numbered in order, as the store's.</summary>
internal sealed class MemoryAuditLog : IAuditLog
{
    private readonly List<AuditEntry> _entries = [];

    public IReadOnlyList<AuditEvent> Events
    {
        get
        {
            lock (_entries)
            {
                return [.. _entries.Select(e => e.Event)];
            }
        }
    }

    public Task<AuditEntry> AppendAuditAsync(AuditEvent auditEvent, CancellationToken cancellationToken = default)
    {
        lock (_entries)
        {
            var entry = new AuditEntry(_entries.Count + 1, auditEvent);
            _entries.Add(entry);
            return Task.FromResult(entry);
        }
    }

    public Task<IReadOnlyList<AuditEntry>> ReadAuditAsync(long afterSequence, int limit, CancellationToken cancellationToken = default)
    {
        lock (_entries)
        {
            return Task.FromResult<IReadOnlyList<AuditEntry>>([.. _entries.Where(e => e.Sequence > afterSequence).Take(limit)]);
        }
    }

    public Task<IReadOnlyList<AuditEntry>> ReadAuditForRecordingAsync(Guid recordingId, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<AuditEntry>>([]);

    // The supervision tests read the events; a memory log keeps no hash chain to search or verify.
    public Task<IReadOnlyList<AuditEntry>> SearchAuditAsync(AuditQuery query, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The in-memory audit log of the supervision tests is read through Events.");

    public Task<AuditVerification> VerifyAuditAsync(IReadOnlyCollection<AuditAnchor> anchors, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The in-memory audit log of the supervision tests keeps no hash chain.");

    public Task<AuditAnchor?> AuditHeadAsync(CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The in-memory audit log of the supervision tests keeps no hash chain.");
}
