using CallSwitch.Compliance.Numbers;
using CallSwitch.Compliance.Requests;

namespace CallSwitch.Compliance.Storage.Sqlite;

/// <summary>The store's data-subject requests and do-not-call list (<see cref="ISubjectRequestStore"/>, <see cref="IDoNotCallStore"/>).</summary>
public sealed partial class SqliteMetadataStore
{
    /// <inheritdoc />
    public Task<SubjectRequest> OpenRequestAsync(NewSubjectRequest request, Func<long, AuditEvent> audit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(audit);
        StoreValidation.Number(request.Number);
        StoreValidation.Required(request.NumberDigest, "number digest");
        StoreValidation.Required(request.OpenedBy, "opened by");
        string masked = PhoneNumberMask.Mask(request.Number);
        return _writer.WriteAsync(
            $"open a {SqliteRequestSql.KindCode(request.Kind)} request",
            (connection, transaction) => SqliteRequestSql.Open(connection, transaction, request, masked, id => Validated(audit(id))),
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<SubjectRequest?> GetRequestAsync(long id, CancellationToken cancellationToken = default) =>
        ReadAsync((connection, transaction) => SqliteRequestSql.Get(connection, transaction, id), cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<SubjectRequest>> ListRequestsAsync(RequestStatus? status, DateTimeOffset? overdueAt, CancellationToken cancellationToken = default) =>
        ReadAsync((connection, transaction) => SqliteRequestSql.List(connection, transaction, status, overdueAt), cancellationToken);

    /// <inheritdoc />
    public Task<bool> CloseRequestAsync(long id, RequestStatus status, string outcome, bool keepNumber, AuditEvent audit, CancellationToken cancellationToken = default)
    {
        if (status == RequestStatus.Open)
        {
            throw new ArgumentException("A request is closed as done or rejected.", nameof(status));
        }

        StoreValidation.Required(outcome, "outcome");
        Validated(audit);
        return _writer.WriteAsync(
            $"close request {SubjectRequest.CodeOf(id)}",
            (connection, transaction) => SqliteRequestSql.Close(connection, transaction, id, status, outcome, keepNumber, audit),
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> LiftRestrictionAsync(long id, AuditEvent audit, CancellationToken cancellationToken = default)
    {
        Validated(audit);
        return _writer.WriteAsync(
            $"lift restriction {SubjectRequest.CodeOf(id)}",
            (connection, transaction) => SqliteRequestSql.Lift(connection, transaction, id, audit),
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> IsRestrictedAsync(string number, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(number);
        return ReadAsync((connection, transaction) => SqliteRequestSql.IsRestricted(connection, transaction, number), cancellationToken);
    }

    /// <inheritdoc />
    public Task<NumberRecords> FindByNumberAsync(string number, string digest, CancellationToken cancellationToken = default)
    {
        StoreValidation.Number(number);
        StoreValidation.Required(digest, "number digest");
        return ReadAsync((connection, transaction) => SqliteRequestSql.Find(connection, transaction, number, digest), cancellationToken);
    }

    /// <inheritdoc />
    public Task<int> RedactCallNumbersAsync(string number, string digest, AuditEvent audit, CancellationToken cancellationToken = default)
    {
        StoreValidation.Number(number);
        StoreValidation.Required(digest, "number digest");
        Validated(audit);
        return _writer.WriteAsync(
            "replace a number by its digest in the call rows",
            (connection, transaction) => SqliteRequestSql.RedactCalls(connection, transaction, number, digest, audit),
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<AuditEntry>> ReadAuditForRequestAsync(long id, CancellationToken cancellationToken = default) =>
        ReadAsync((connection, transaction) => SqliteRequestSql.Audit(connection, transaction, RecordingAccess.Why(null, SubjectRequest.CodeOf(id))), cancellationToken);

    /// <inheritdoc />
    public Task<int> AddDoNotCallAsync(IReadOnlyList<DoNotCallEntry> entries, AuditEvent audit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        foreach (DoNotCallEntry entry in entries)
        {
            StoreValidation.Number(entry.Number);
            StoreValidation.Required(entry.AddedBy, "added by");
            StoreValidation.Required(entry.Source, "source");
        }

        Validated(audit);
        return _writer.WriteAsync(
            $"list {entries.Count} number(s) as do-not-call",
            (connection, transaction) => SqliteDoNotCallSql.Add(connection, transaction, entries, audit),
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> RemoveDoNotCallAsync(string number, string? campaignId, AuditEvent audit, CancellationToken cancellationToken = default)
    {
        StoreValidation.Number(number);
        Validated(audit);
        return _writer.WriteAsync(
            "take a number off the do-not-call list",
            (connection, transaction) => SqliteDoNotCallSql.Remove(connection, transaction, number, campaignId, audit),
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<DoNotCallEntry>> ListDoNotCallAsync(CancellationToken cancellationToken = default) =>
        ReadAsync(SqliteDoNotCallSql.List, cancellationToken);

    /// <inheritdoc />
    public Task<long> DoNotCallVersionAsync(CancellationToken cancellationToken = default) =>
        ReadAsync(SqliteDoNotCallSql.Version, cancellationToken);

    private static AuditEvent Validated(AuditEvent audit)
    {
        StoreValidation.Audit(audit);
        return audit;
    }
}
