using CallSwitch.Compliance.Storage;

namespace CallSwitch.Compliance.Requests;

/// <summary>
/// Where data-subject requests are kept, and the look-ups by number they need. Every change is
/// written with its audit entry in one transaction.
/// </summary>
/// <remarks>Thread-safe. Writes go through the store's single writer.</remarks>
public interface ISubjectRequestStore : IRestrictionLookup
{
    /// <summary>Stores a new request, open; <paramref name="audit"/> makes its audit entry from the id given to it.</summary>
    Task<SubjectRequest> OpenRequestAsync(NewSubjectRequest request, Func<long, AuditEvent> audit, CancellationToken cancellationToken = default);

    /// <summary>A request by id; null if unknown.</summary>
    Task<SubjectRequest?> GetRequestAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>The requests, oldest due first: only those in <paramref name="status"/> when given, only those open past their deadline at <paramref name="overdueAt"/> when given.</summary>
    Task<IReadOnlyList<SubjectRequest>> ListRequestsAsync(RequestStatus? status, DateTimeOffset? overdueAt, CancellationToken cancellationToken = default);

    /// <summary>
    /// Closes an open request (done or rejected) with its outcome; its number in clear is forgotten
    /// unless <paramref name="keepNumber"/> (a restriction in force needs it).
    /// </summary>
    /// <returns>False when the request is unknown or not open; nothing is written then.</returns>
    Task<bool> CloseRequestAsync(long id, RequestStatus status, string outcome, bool keepNumber, AuditEvent audit, CancellationToken cancellationToken = default);

    /// <summary>Lifts a restriction in force and forgets its number. False when the request is no restriction in force.</summary>
    Task<bool> LiftRestrictionAsync(long id, AuditEvent audit, CancellationToken cancellationToken = default);

    /// <summary>Every call and recording of a number (by the number, and by its digest where it was replaced), unaudited.</summary>
    Task<NumberRecords> FindByNumberAsync(string number, string digest, CancellationToken cancellationToken = default);

    /// <summary>Replaces the number by its digest in every call row holding it; returns how many.</summary>
    Task<int> RedactCallNumbersAsync(string number, string digest, AuditEvent audit, CancellationToken cancellationToken = default);

    /// <summary>The audit entries written within a request (their purpose names it), in order.</summary>
    Task<IReadOnlyList<AuditEntry>> ReadAuditForRequestAsync(long id, CancellationToken cancellationToken = default);
}
