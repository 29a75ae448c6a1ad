using CallSwitch.Compliance.Storage;

namespace CallSwitch.Compliance.Tests.Storage;

/// <summary>An audit log whose disk is gone: every append fails.</summary>
internal sealed class FailingAuditLog : IAuditLog
{
    public int Attempts { get; private set; }

    public Task<AuditEntry> AppendAuditAsync(AuditEvent auditEvent, CancellationToken cancellationToken = default)
    {
        Attempts++;
        return Task.FromException<AuditEntry>(new MetadataStoreException("The metadata database could not commit: disk I/O error"));
    }

    public Task<IReadOnlyList<AuditEntry>> ReadAuditAsync(long afterSequence, int limit, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<AuditEntry>>([]);

    public Task<IReadOnlyList<AuditEntry>> ReadAuditForRecordingAsync(Guid recordingId, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<AuditEntry>>([]);

    public Task<IReadOnlyList<AuditEntry>> SearchAuditAsync(AuditQuery query, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<AuditEntry>>([]);

    public Task<AuditVerification> VerifyAuditAsync(IReadOnlyCollection<AuditAnchor> anchors, CancellationToken cancellationToken = default) =>
        Task.FromException<AuditVerification>(new MetadataStoreException("The metadata database could not be read: disk I/O error"));

    public Task<AuditAnchor?> AuditHeadAsync(CancellationToken cancellationToken = default) =>
        Task.FromException<AuditAnchor?>(new MetadataStoreException("The metadata database could not be read: disk I/O error"));
}
