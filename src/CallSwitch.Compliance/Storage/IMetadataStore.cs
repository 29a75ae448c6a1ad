using CallSwitch.Compliance.Access;
using CallSwitch.Compliance.Kpi;
using CallSwitch.Compliance.Requests;

namespace CallSwitch.Compliance.Storage;

/// <summary>
/// The switch's metadata: calls, recordings, users and the audit log, in one store so that an erasure
/// and its audit entry commit together. SQLite today (<see cref="Sqlite.SqliteMetadataStore"/>),
/// PostgreSQL when the switch scales out; both pass the same contract tests.
/// </summary>
/// <remarks>
/// Thread-safe. Disposing drains the queued writes, then closes the store; writes queued after
/// that fail with <see cref="ObjectDisposedException"/>.
/// </remarks>
public interface IMetadataStore : ICallStore, IRecordingStore, IErasureStore, IRetentionStore, ILegalHoldStore, ILeaseStore, IAuditLog, IUserStore, IKpiSource, ITrainingExtractStore, ISubjectRequestStore, IDoNotCallStore, IAsyncDisposable
{
    /// <summary>Completes once every write queued before it is committed (or failed).</summary>
    Task FlushAsync(CancellationToken cancellationToken = default);

    /// <summary>Queued writes that failed with nobody awaiting them (fire-and-forget), and dropped ones.</summary>
    long BackgroundWriteFailures { get; }
}
