using CallSwitch.Compliance.Erasure;
using CallSwitch.Compliance.Access;
using CallSwitch.Compliance.Kpi;
using Microsoft.Data.Sqlite;

namespace CallSwitch.Compliance.Storage.Sqlite;

/// <summary>
/// The metadata store in one SQLite file under the data directory: WAL journal (readers never
/// wait for the writer), synchronous=NORMAL (a power cut may lose the last commits, never corrupt
/// the file), foreign keys on, schema migrated at open.
/// </summary>
/// <remarks>
/// Thread-safe. All writes go to one background writer through a bounded queue
/// (<see cref="SqliteWriter"/>), in queue order; each read opens its own read-only connection
/// (pooled) and reads in one snapshot.
/// </remarks>
public sealed partial class SqliteMetadataStore : IMetadataStore, IAnnotationStore
{
    /// <summary>The purpose written in the audit log for changes to users and roles.</summary>
    public const string UserAdministrationPurpose = "user administration";

    private readonly SqliteConnection _writeConnection;
    private readonly SqliteWriter _writer;
    private readonly string _readConnectionString;
    private readonly TimeProvider _time;
    private readonly Action<string, MetadataStoreException>? _onBackgroundFailure;
    private readonly Func<string, string>? _numberDigest;
    private long _backgroundWriteFailures;
    private int _disposed;

    private SqliteMetadataStore(SqliteMetadataStoreOptions options, SqliteConnection writeConnection, string readConnectionString, int schemaVersion)
    {
        _writeConnection = writeConnection;
        _readConnectionString = readConnectionString;
        _time = options.Time;
        _onBackgroundFailure = options.BackgroundWriteFailed;
        _numberDigest = options.NumberDigest;
        DatabasePath = options.DatabasePath;
        SchemaVersion = schemaVersion;
        _writer = new SqliteWriter(writeConnection, options.QueueCapacity, options.MaxBatch, options.WriteLatency);
    }

    /// <summary>The newest schema version this code knows (and migrates to).</summary>
    public static int LatestSchemaVersion => SqliteMigrations.Latest;

    /// <summary>The database file.</summary>
    public string DatabasePath { get; }

    /// <summary>The schema version of the open database.</summary>
    public int SchemaVersion { get; }

    /// <inheritdoc />
    public long BackgroundWriteFailures => Interlocked.Read(ref _backgroundWriteFailures);

    /// <summary>
    /// Opens (creating if needed) the database, brings its schema up to date and starts the writer.
    /// Synchronous: it runs once, at start, before calls are taken.
    /// </summary>
    /// <exception cref="MetadataSchemaException">The database is newer than this code, or a migration failed.</exception>
    /// <exception cref="SqliteException">The file cannot be opened or is not a database.</exception>
    public static SqliteMetadataStore Open(SqliteMetadataStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.QueueCapacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxBatch, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BusyTimeout, TimeSpan.FromSeconds(1));
        int busySeconds = (int)Math.Ceiling(options.BusyTimeout.TotalSeconds);
        StoreValidation.Required(options.DataDirectory, "data directory");
        Directory.CreateDirectory(options.DataDirectory);
        string path = Path.GetFullPath(options.DatabasePath);

        string writeConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,

            // Microsoft.Data.Sqlite retries a busy database itself for this long, then throws.
            DefaultTimeout = busySeconds,
        }.ToString();
        string readConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = true,
            DefaultTimeout = busySeconds,
        }.ToString();

        var connection = new SqliteConnection(writeConnectionString);
        try
        {
            connection.Open();

            // Checked before any pragma or migration so that a newer database is left exactly as it was.
            SqliteMigrator.RefuseNewer(connection, path, SqliteMigrations.All);
                        string mode = Convert.ToString(Scalar(connection, "PRAGMA journal_mode = WAL"), System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
            if (!mode.Equals("wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new MetadataSchemaException($"The metadata database {path} cannot use the WAL journal (got '{mode}'); is it on a network file system?", null, SqliteMigrations.Latest);
            }

            Pragma(connection, "PRAGMA synchronous = NORMAL");
            Pragma(connection, "PRAGMA foreign_keys = ON");

            // An erased number or key id must not linger in freed pages of the file.
            Pragma(connection, "PRAGMA secure_delete = ON");
            RegisterFunctions(connection, options.NumberDigest);
            int version = SqliteMigrator.Migrate(connection, path, SqliteMigrations.All, options.Time);
            return new SqliteMetadataStore(options, connection, readConnectionString, version);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public Task SaveCallAsync(CallRecord call, CancellationToken cancellationToken = default)
    {
        StoreValidation.Call(call);
        return _writer.WriteAsync(
            $"save call {call.CallId}",
            (connection, transaction) =>
            {
                SqliteCallSql.Upsert(connection, transaction, call);
                return true;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public bool EnqueueCall(CallRecord call)
    {
        StoreValidation.Call(call);
        string description = $"save call {call.CallId}";
        var write = new FireAndForgetWrite(description, (connection, transaction) => SqliteCallSql.Upsert(connection, transaction, call), ReportBackgroundFailure);
        if (_writer.TryEnqueue(write))
        {
            return true;
        }

        ReportBackgroundFailure(description, new MetadataStoreException($"The metadata write queue is full: {description} was dropped."));
        return false;
    }

    /// <inheritdoc />
    public Task<int> EndOpenCallsAsync(string reason, CancellationToken cancellationToken = default)
    {
        StoreValidation.Required(reason, "end reason");
        return _writer.WriteAsync(
            "end calls left open",
            (connection, transaction) => SqliteCallSql.EndOpen(connection, transaction, reason),
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<CallRecord?> GetCallAsync(string callId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(callId);
        return ReadAsync((connection, transaction) => SqliteCallSql.Get(connection, transaction, callId), cancellationToken);
    }

    /// <inheritdoc />
    public Task AddRecordingAsync(NewRecording recording, CancellationToken cancellationToken = default)
    {
        StoreValidation.Recording(recording);
        return _writer.WriteAsync(
            $"add recording {recording.Id}",
            (connection, transaction) =>
            {
                SqliteRecordingSql.Insert(connection, transaction, recording);
                return true;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> CompleteRecordingAsync(Guid recordingId, RecordingCompletion completion, CancellationToken cancellationToken = default)
    {
        StoreValidation.Completion(completion);
        return _writer.WriteAsync(
            $"complete recording {recordingId}",
            (connection, transaction) => SqliteRecordingSql.Complete(connection, transaction, recordingId, completion),
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> SetLegalHoldAsync(Guid recordingId, bool hold, string actor, string reason, CancellationToken cancellationToken = default)
    {
        var audit = new AuditEvent(_time.GetUtcNow(), actor, hold ? AuditAction.LegalHoldPlaced : AuditAction.LegalHoldReleased, recordingId, reason);
        StoreValidation.Audit(audit);
        return _writer.WriteAsync(
            $"{(hold ? "place" : "release")} legal hold on recording {recordingId}",
            (connection, transaction) => SqliteRecordingSql.SetLegalHold(connection, transaction, recordingId, hold, audit),
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<ErasureOutcome?> MarkErasingAsync(Guid recordingId, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        _writer.WriteAsync(
            $"mark recording {recordingId} as being erased",
            (connection, transaction) => SqliteErasureSql.MarkErasing(connection, transaction, recordingId, at),
            cancellationToken);

    /// <inheritdoc />
    public Task<ErasureOutcome> TombstoneAsync(ErasureTombstone tombstone, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tombstone);
        StoreValidation.Audit(tombstone.Audit);
        return _writer.WriteAsync(
            $"tombstone recording {tombstone.RecordingId}",
            (connection, transaction) => SqliteErasureSql.Tombstone(connection, transaction, tombstone),
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<SignedErasureReceipt?> GetReceiptAsync(Guid recordingId, CancellationToken cancellationToken = default) =>
        ReadAsync((connection, transaction) => SqliteErasureSql.GetReceipt(connection, transaction, recordingId), cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<RetentionCandidate>> ListRetentionCandidatesAsync(Guid? after, int limit, DateTimeOffset asOf, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        return ReadAsync((connection, transaction) => SqliteRetentionSql.List(connection, transaction, after, limit, asOf), cancellationToken);
    }

    /// <inheritdoc />
    public Task<int> ShortenDeadlinesAsync(IReadOnlyList<(Guid Id, DateTimeOffset Deadline)> deadlines, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(deadlines);
        return deadlines.Count == 0
            ? Task.FromResult(0)
            : _writer.WriteAsync(
                $"shorten {deadlines.Count} retention deadline(s)",
                (connection, transaction) => SqliteRetentionSql.Shorten(connection, transaction, deadlines),
                cancellationToken);
    }

    /// <inheritdoc />
    public Task<LegalHold> PlaceHoldAsync(NewLegalHold hold, CancellationToken cancellationToken = default)
    {
        StoreValidation.Hold(hold);
        Guid id = Guid.CreateVersion7();
        DateTimeOffset at = _time.GetUtcNow();
        var audit = new AuditEvent(at, hold.PlacedBy, AuditAction.LegalHoldPlaced, hold.RecordingId, hold.Reason, SqliteLegalHoldSql.Detail(id, hold));
        return _writer.WriteAsync(
            $"place legal hold {id}",
            (connection, transaction) => SqliteLegalHoldSql.Place(connection, transaction, id, hold, at, audit),
            cancellationToken);
    }

    /// <inheritdoc />
    public async Task<bool> ReleaseHoldAsync(Guid holdId, string releasedBy, string reason, CancellationToken cancellationToken = default)
    {
        StoreValidation.Required(releasedBy, "released by");
        StoreValidation.Required(reason, "reason");
        IReadOnlyList<LegalHold> holds = await ListHoldsAsync(includeReleased: false, cancellationToken).ConfigureAwait(false);
        if (holds.FirstOrDefault(h => h.Id == holdId) is not { } hold)
        {
            return false;
        }

        var audit = new AuditEvent(_time.GetUtcNow(), releasedBy, AuditAction.LegalHoldReleased, hold.Hold.RecordingId, reason, SqliteLegalHoldSql.Detail(holdId, hold.Hold));
        return await _writer.WriteAsync(
            $"release legal hold {holdId}",
            (connection, transaction) => SqliteLegalHoldSql.Release(connection, transaction, holdId, releasedBy, reason, audit),
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<int> ExpireHoldsAsync(DateTimeOffset now, CancellationToken cancellationToken = default) =>
        _writer.WriteAsync(
            "expire legal holds",
            (connection, transaction) => SqliteLegalHoldSql.Expire(connection, transaction, now, "retention"),
            cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<LegalHold>> ListHoldsAsync(bool includeReleased, CancellationToken cancellationToken = default) =>
        ReadAsync((connection, transaction) => SqliteLegalHoldSql.List(connection, transaction, includeReleased), cancellationToken);

    /// <inheritdoc />
    public Task<RetentionLease?> TryAcquireLeaseAsync(string name, string holder, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        StoreValidation.Required(name, "lease name");
        StoreValidation.Required(holder, "lease holder");
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        return _writer.WriteAsync(
            $"acquire lease {name}",
            (connection, transaction) => SqliteLeaseSql.TryAcquire(connection, transaction, name, holder, now, duration),
            cancellationToken);
    }

    /// <inheritdoc />
    public Task ReleaseLeaseAsync(string name, string holder, CancellationToken cancellationToken = default) =>
        _writer.WriteAsync(
            $"release lease {name}",
            (connection, transaction) => SqliteLeaseSql.Release(connection, transaction, name, holder),
            cancellationToken);

    /// <inheritdoc />
    public Task RecordRetentionRunAsync(RetentionRun run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        return _writer.WriteAsync("record a retention run", (connection, transaction) => SqliteRetentionSql.Record(connection, transaction, run), cancellationToken);
    }

    /// <inheritdoc />
    public Task<RetentionRun?> GetLastRetentionRunAsync(CancellationToken cancellationToken = default) =>
        ReadAsync((connection, transaction) => SqliteRetentionSql.Last(connection, transaction), cancellationToken);

    /// <inheritdoc />
    public Task AddExtractAsync(TrainingExtract extract, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(extract);
        StoreValidation.Required(extract.CampaignId, "campaign");
        StoreValidation.Required(extract.AgentId, "agent");
        StoreValidation.Required(extract.CreatedBy, "creator");
        StoreValidation.Required(extract.FilePath, "file path");
        return _writer.WriteAsync(
            $"add training extract {extract.Id}",
            (connection, transaction) =>
            {
                SqliteExtractSql.Insert(connection, transaction, extract);
                return true;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<TrainingExtract>> ListExtractsAsync(string? agentId = null, CancellationToken cancellationToken = default) =>
        ReadAsync((connection, transaction) => SqliteExtractSql.List(connection, transaction, agentId), cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<TrainingExtract>> ListExpiredExtractsAsync(DateTimeOffset asOf, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        return ReadAsync((connection, transaction) => SqliteExtractSql.Expired(connection, transaction, asOf, limit), cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> DeleteExtractAsync(Guid extractId, AuditEvent audit, CancellationToken cancellationToken = default)
    {
        StoreValidation.Audit(audit);
        return _writer.WriteAsync(
            $"delete training extract {extractId}",
            (connection, transaction) =>
            {
                if (!SqliteExtractSql.Delete(connection, transaction, extractId))
                {
                    return false;
                }

                SqliteAuditSql.Append(connection, transaction, audit);
                return true;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<CampaignRetentionStatus>> GetRetentionStatusAsync(DateTimeOffset now, CancellationToken cancellationToken = default) =>
        ReadAsync((connection, transaction) => SqliteRetentionSql.Status(connection, transaction, now), cancellationToken);

    /// <inheritdoc />
    public Task<RecordingMetadata?> GetRecordingAsync(Guid recordingId, CancellationToken cancellationToken = default) =>
        ReadAsync((connection, transaction) => SqliteRecordingSql.Get(connection, transaction, recordingId), cancellationToken);

    /// <inheritdoc />
    public Task<RecordingPage> SearchRecordingsAsync(RecordingQuery query, CancellationToken cancellationToken = default)
    {
        StoreValidation.Query(query);
        return ReadAsync((connection, transaction) => SqliteRecordingSql.Search(connection, transaction, query), cancellationToken);
    }

    /// <inheritdoc />
    public Task<AuditEntry> AppendAuditAsync(AuditEvent auditEvent, CancellationToken cancellationToken = default)
    {
        StoreValidation.Audit(auditEvent);
        return _writer.WriteAsync(
            $"append audit entry ({auditEvent.Action} by {auditEvent.Actor})",
            (connection, transaction) => SqliteAuditSql.Append(connection, transaction, auditEvent),
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<AuditEntry>> ReadAuditAsync(long afterSequence, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(afterSequence);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        return ReadAsync((connection, transaction) => SqliteAuditSql.ReadAfter(connection, transaction, afterSequence, limit), cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<AuditEntry>> ReadAuditForRecordingAsync(Guid recordingId, CancellationToken cancellationToken = default) =>
        ReadAsync((connection, transaction) => SqliteAuditSql.ReadForRecording(connection, transaction, recordingId), cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<AuditEntry>> SearchAuditAsync(AuditQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(query.Limit, AuditQuery.MaxLimit);
        return ReadAsync((connection, transaction) => SqliteAuditSql.Search(connection, transaction, query), cancellationToken);
    }

    /// <inheritdoc />
    public Task<AuditVerification> VerifyAuditAsync(IReadOnlyCollection<AuditAnchor> anchors, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(anchors);
        return ReadAsync((connection, transaction) => SqliteAuditSql.Verify(connection, transaction, anchors), cancellationToken);
    }

    /// <inheritdoc />
    public Task<AuditAnchor?> AuditHeadAsync(CancellationToken cancellationToken = default) =>
        ReadAsync(SqliteAuditSql.Head, cancellationToken);

    /// <inheritdoc />
    public Task<KpiReport> ComputeKpiAsync(KpiQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Before <= query.From)
        {
            throw new ArgumentException($"The period is empty: {query.From:O} to {query.Before:O}.", nameof(query));
        }

        return ReadAsync(
            (connection, transaction) => SqliteRequestSql.AddKpi(SqliteKpiSql.Compute(connection, transaction, query), connection, transaction),
            cancellationToken);
    }

    /// <inheritdoc />
    public event EventHandler? UsersChanged;

    /// <inheritdoc />
    public Task<bool> AddUserAsync(NewUser user, string actor, CancellationToken cancellationToken = default)
    {
        UserValidation.NewUser(user);
        AuditEvent audit = UserAudit(actor, AuditAction.UserAdded, $"user={user.Name} roles={string.Join(',', user.Grants)}{(user.Extension is { } e ? $" extension={e}" : string.Empty)}");
        return ChangeUserAsync($"add user {user.Name}", (connection, transaction) => SqliteUserSql.Add(connection, transaction, user, audit), cancellationToken);
    }

    /// <inheritdoc />
    public async Task<User?> GetUserAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        IReadOnlyList<User> users = await ReadAsync((connection, transaction) => SqliteUserSql.List(connection, transaction, name), cancellationToken).ConfigureAwait(false);
        return users.Count == 0 ? null : users[0];
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<User>> ListUsersAsync(CancellationToken cancellationToken = default) =>
        ReadAsync((connection, transaction) => SqliteUserSql.List(connection, transaction, null), cancellationToken);

    /// <inheritdoc />
    public Task<string?> GetPasswordHashAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        return ReadAsync((connection, transaction) => SqliteUserSql.PasswordHash(connection, transaction, name), cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> SetDisabledAsync(string name, bool disabled, string actor, CancellationToken cancellationToken = default)
    {
        UserValidation.Name(name);
        AuditEvent audit = UserAudit(actor, disabled ? AuditAction.UserDisabled : AuditAction.UserEnabled, $"user={name}");
        return ChangeUserAsync(
            $"{(disabled ? "disable" : "enable")} user {name}",
            (connection, transaction) => SqliteUserSql.SetDisabled(connection, transaction, name, disabled, audit),
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> SetPasswordHashAsync(string name, string passwordHash, string actor, CancellationToken cancellationToken = default)
    {
        UserValidation.Name(name);
        ArgumentException.ThrowIfNullOrEmpty(passwordHash);
        AuditEvent audit = UserAudit(actor, AuditAction.PasswordChanged, $"user={name}");
        return ChangeUserAsync(
            $"change the password of user {name}",
            (connection, transaction) => SqliteUserSql.SetPasswordHash(connection, transaction, name, passwordHash, audit),
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> SetGrantAsync(string name, RoleGrant grant, bool granted, string actor, CancellationToken cancellationToken = default)
    {
        UserValidation.Name(name);
        ArgumentNullException.ThrowIfNull(grant);
        AuditEvent audit = UserAudit(actor, granted ? AuditAction.RoleGranted : AuditAction.RoleRevoked, $"user={name} role={grant}");
        return ChangeUserAsync(
            $"{(granted ? "grant" : "revoke")} {grant} {(granted ? "to" : "from")} user {name}",
            (connection, transaction) => SqliteUserSql.SetGrant(connection, transaction, name, grant, granted, audit),
            cancellationToken);
    }

    /// <inheritdoc />
    public Task FlushAsync(CancellationToken cancellationToken = default) =>
        _writer.WriteAsync("flush", (_, _) => true, cancellationToken);

    /// <summary>Drains the queued writes, then closes the database (checkpointing the WAL into the file).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _writer.DisposeAsync().ConfigureAwait(false);
        using (var reader = new SqliteConnection(_readConnectionString))
        {
            // Pooled readers would keep the file open after the store is gone.
            SqliteConnection.ClearPool(reader);
        }

        await _writeConnection.DisposeAsync().ConfigureAwait(false);
    }

    private async Task<T> ReadAsync<T>(Func<SqliteConnection, SqliteTransaction, T> read, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

        // Microsoft.Data.Sqlite does its I/O synchronously: run reads on the pool so a caller on the
        // call path or an event loop is not held up.
        return await Task.Run(
            () =>
            {
                using var connection = new SqliteConnection(_readConnectionString);
                connection.Open();
                RegisterFunctions(connection, _numberDigest);

                // One snapshot for the row and its pauses and purposes, whatever the writer commits meanwhile.
                using SqliteTransaction transaction = connection.BeginTransaction(deferred: true);
                return read(connection, transaction);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<RecordingAnnotation?> AddAnnotationAsync(Guid recordingId, TimeSpan position, string author, string text, CancellationToken cancellationToken = default)
    {
        StoreValidation.Required(author, "author");
        StoreValidation.Required(text, "text");
        if (text.Length > IAnnotationStore.MaxTextLength)
        {
            throw new ArgumentException($"An annotation holds at most {IAnnotationStore.MaxTextLength} characters.", nameof(text));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(position, TimeSpan.Zero);
        DateTimeOffset at = _time.GetUtcNow();
        return _writer.WriteAsync(
            $"annotate recording {recordingId}",
            (connection, transaction) => SqliteAnnotationSql.Add(connection, transaction, recordingId, position, author, text, at),
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<RecordingAnnotation>> ListAnnotationsAsync(Guid recordingId, CancellationToken cancellationToken = default) =>
        ReadAsync((connection, transaction) => SqliteAnnotationSql.List(connection, transaction, recordingId), cancellationToken);

    private AuditEvent UserAudit(string actor, AuditAction action, string detail)
    {
        var audit = new AuditEvent(_time.GetUtcNow(), actor, action, null, UserAdministrationPurpose, detail);
        StoreValidation.Audit(audit);
        return audit;
    }

    private async Task<bool> ChangeUserAsync(string description, Func<SqliteConnection, SqliteTransaction, bool> change, CancellationToken cancellationToken)
    {
        bool changed = await _writer.WriteAsync(description, change, cancellationToken).ConfigureAwait(false);
        if (changed)
        {
            UsersChanged?.Invoke(this, EventArgs.Empty);
        }

        return changed;
    }

    private void ReportBackgroundFailure(string description, MetadataStoreException error)
    {
        Interlocked.Increment(ref _backgroundWriteFailures);
        try
        {
            _onBackgroundFailure?.Invoke(description, error);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The handler is the caller's logging; a bug there must not take the writer down.
        }
    }

    /// <summary>The functions the hold check calls (<see cref="SqliteLegalHoldSql.Held"/>).</summary>
    private static void RegisterFunctions(SqliteConnection connection, Func<string, string>? numberDigest) =>
        connection.CreateFunction<string?, string?>(
            SqliteLegalHoldSql.DigestFunction,
            number => number is null
                ? null
                : numberDigest?.Invoke(number) ?? throw new InvalidOperationException("A hold on a phone number needs the recordings' master key to be checked; open the store with NumberDigest."),
            isDeterministic: true);

    private static void Pragma(SqliteConnection connection, string pragma)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = pragma;
        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
