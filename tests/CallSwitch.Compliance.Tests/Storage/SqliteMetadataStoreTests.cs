using System.Collections.Concurrent;
using System.Security.Cryptography;
using CallSwitch.Compliance.Storage;
using CallSwitch.Compliance.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace CallSwitch.Compliance.Tests.Storage;

/// <summary>What is particular to SQLite: the file, its pragmas, migrations, triggers and file locks.</summary>
public sealed class SqliteMetadataStoreTests : IDisposable
{
    private readonly TempDataDirectory _directory = new();
    private readonly FakeTimeProvider _time = new(StoreSamples.T0);

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task A_new_database_is_created_in_the_data_directory_at_the_latest_version_in_WAL_mode()
    {
        string data = Path.Combine(_directory.Path, "data");
        await using (SqliteMetadataStore store = Open(data))
        {
            Assert.Equal(Path.Combine(data, "metadata.db"), store.DatabasePath);
            Assert.Equal(SqliteMetadataStore.LatestSchemaVersion, store.SchemaVersion);
            Assert.True(File.Exists(store.DatabasePath));
        }

        using SqliteConnection raw = Raw(Path.Combine(data, "metadata.db"));
        Assert.Equal("wal", Scalar(raw, "PRAGMA journal_mode"));
        Assert.Equal(
            SqliteMigrations.All.Select(m => (long)m.Version),
            Column(raw, "SELECT version FROM schema_version ORDER BY version").Cast<long>());
        Assert.Equal(SqliteCodes.ToMicros(StoreSamples.T0), Scalar(raw, "SELECT applied_at_us FROM schema_version WHERE version = 1"));
        Assert.Equal(
            ["ix_audit_actor", "ix_audit_purpose", "ix_audit_recording", "ix_calls_agent", "ix_calls_campaign", "ix_calls_number_hmac",
             "ix_calls_prospect_number", "ix_calls_started", "ix_legal_holds_active", "ix_recording_annotations", "ix_recordings_agent", "ix_recordings_call",
             "ix_recordings_campaign", "ix_recordings_erasing", "ix_recordings_in_progress", "ix_recordings_number_hmac", "ix_recordings_prospect_number", "ix_recordings_retention",
             "ix_recordings_started", "ix_sign_in_failures_last", "ix_subject_requests_number", "ix_subject_requests_status"],
            Column(raw, "SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'ix_%' ORDER BY name").Cast<string>());
    }

    [Fact]
    public async Task The_writer_runs_with_foreign_keys_on_and_synchronous_normal()
    {
        await using SqliteMetadataStore store = Open();
        await store.SaveCallAsync(StoreSamples.Call("c"));

        // The orphan is refused only if the writer's connection enforces foreign keys.
        await Assert.ThrowsAsync<MetadataStoreException>(() => store.AddRecordingAsync(StoreSamples.Recording(Guid.NewGuid(), "missing")));
        using SqliteConnection raw = Raw(store.DatabasePath);
        Assert.Equal(0L, Scalar(raw, "SELECT COUNT(*) FROM recordings"));
    }

    [Fact]
    public async Task The_writer_does_its_synchronous_IO_on_a_thread_of_its_own_not_the_pools()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        await using var writer = new SqliteWriter(connection, capacity: 8, maxBatch: 4);

        var (pool, name) = await writer.WriteAsync("look at the thread", (_, _) => (Thread.CurrentThread.IsThreadPoolThread, Thread.CurrentThread.Name), CancellationToken.None);

        Assert.False(pool, "a SQLite write ran on a thread-pool thread");
        Assert.Equal("metadata writer", name);
    }

    [Fact]
    public async Task A_private_call_is_stored_marked_private_and_the_database_refuses_a_number_on_one()
    {
        await using SqliteMetadataStore store = Open();
        CallRecord call = StoreSamples.Call("private-1") with { CampaignId = null, ProspectNumber = null, Recorded = false, Announcement = null, Private = true };
        await store.SaveCallAsync(call);

        Assert.Equal(call, await store.GetCallAsync("private-1"));
        await Assert.ThrowsAsync<MetadataStoreException>(() => store.SaveCallAsync(call with { CallId = "private-2", ProspectNumber = "+33612345678" }));
        using SqliteConnection raw = Raw(store.DatabasePath);
        Assert.Throws<SqliteException>(() => Execute(raw, "UPDATE calls SET prospect_number = '+33612345678' WHERE call_id = 'private-1'"));
        await store.SaveCallAsync(StoreSamples.Call("ordinary"));
        Assert.Equal((false, "+33612345678"), ((await store.GetCallAsync("ordinary"))!.Private, (await store.GetCallAsync("ordinary"))!.ProspectNumber));
    }

    [Fact]
    public async Task Reopening_migrates_nothing_and_keeps_the_data()
    {
        NewRecording added;
        await using (SqliteMetadataStore first = Open())
        {
            added = await StoreSamples.AddAsync(first);
        }

        _time.Advance(TimeSpan.FromDays(1));
        await using (SqliteMetadataStore second = Open())
        {
            Assert.Equal(SqliteMetadataStore.LatestSchemaVersion, second.SchemaVersion);
            Assert.Equal(added.FilePath, (await second.GetRecordingAsync(added.Id))?.FilePath);
        }

        using SqliteConnection raw = Raw(Path.Combine(_directory.Path, "metadata.db"));
        Assert.Equal((long)SqliteMigrations.All.Count, Scalar(raw, "SELECT COUNT(*) FROM schema_version"));
        Assert.Equal(SqliteCodes.ToMicros(StoreSamples.T0), Scalar(raw, "SELECT MAX(applied_at_us) FROM schema_version"));
    }

    [Fact]
    public async Task A_database_newer_than_the_code_is_refused_and_left_untouched()
    {
        string path;
        await using (SqliteMetadataStore store = Open())
        {
            path = store.DatabasePath;
        }

        int future = SqliteMetadataStore.LatestSchemaVersion + 1;
        using (SqliteConnection raw = Raw(path))
        {
            Execute(raw, $"INSERT INTO schema_version (version, description, applied_at_us) VALUES ({future}, 'from the future', 0)");
        }

        byte[] before = SHA256.HashData(File.ReadAllBytes(path));

        MetadataSchemaException error = Assert.Throws<MetadataSchemaException>(() => Open());

        Assert.Equal(future, error.DatabaseVersion);
        Assert.Equal(SqliteMetadataStore.LatestSchemaVersion, error.KnownVersion);
        Assert.Contains($"schema version {future}", error.Message, StringComparison.Ordinal);
        Assert.Contains("newer CallSwitch", error.Message, StringComparison.Ordinal);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Equal(before, SHA256.HashData(File.ReadAllBytes(path)));
    }

    [Fact]
    public void Migrations_are_numbered_from_one_without_gaps_and_described()
    {
        Assert.Equal(Enumerable.Range(1, SqliteMigrations.All.Count), SqliteMigrations.All.Select(m => m.Version));
        Assert.All(SqliteMigrations.All, m => Assert.False(string.IsNullOrWhiteSpace(m.Description)));
        Assert.Equal(SqliteMigrations.All.Count, SqliteMetadataStore.LatestSchemaVersion);
    }

    [Fact]
    public void A_failing_migration_leaves_the_database_at_the_step_before()
    {
        SqliteMigration[] steps =
        [
            .. SqliteMigrations.All,
            new(SqliteMigrations.Latest + 1, "breaks half-way", "CREATE TABLE extra (x INTEGER); INSERT INTO no_such_table VALUES (1);"),
        ];
        string path = Path.Combine(_directory.Path, "broken.db");
        using SqliteConnection raw = Raw(path);

        MetadataSchemaException error = Assert.Throws<MetadataSchemaException>(() => SqliteMigrator.Migrate(raw, path, steps, _time));

        Assert.Equal(SqliteMigrations.Latest, error.DatabaseVersion);
        Assert.Equal(SqliteMigrations.Latest, SqliteMigrator.CurrentVersion(raw));
        Assert.Equal(0L, Scalar(raw, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'extra'"));
    }

    [Fact]
    public async Task The_audit_log_cannot_be_altered_and_recordings_cannot_be_deleted_even_in_raw_SQL()
    {
        await using SqliteMetadataStore store = Open();
        NewRecording added = await StoreSamples.AddAsync(store);
        await store.AppendAuditAsync(new AuditEvent(_time.GetUtcNow(), "alice", AuditAction.View, added.Id, "quality review"));

        using SqliteConnection raw = Raw(store.DatabasePath);
        Assert.Contains("append-only", Assert.Throws<SqliteException>(() => Execute(raw, "UPDATE audit_log SET actor = 'mallory'")).Message, StringComparison.Ordinal);
        Assert.Contains("append-only", Assert.Throws<SqliteException>(() => Execute(raw, "DELETE FROM audit_log")).Message, StringComparison.Ordinal);
        Assert.Contains("never deleted", Assert.Throws<SqliteException>(() => Execute(raw, "DELETE FROM recordings")).Message, StringComparison.Ordinal);
        Assert.Throws<SqliteException>(() => Execute(raw, "UPDATE recordings SET erased_at_us = 1, erased_reason = 'r', erased_by = 'b'"));
        Assert.Equal("alice", Scalar(raw, "SELECT actor FROM audit_log"));
    }

    [Fact]
    public async Task A_locked_database_fails_the_batch_reports_background_writes_and_the_writer_recovers()
    {
        var failures = new ConcurrentQueue<string>();
        await using SqliteMetadataStore store = Open(queueCapacity: 4, onFailure: (what, _) => failures.Enqueue(what));
        using SqliteConnection locker = Raw(store.DatabasePath);
        int attempts = 0;
        using (SqliteTransaction held = locker.BeginTransaction(deferred: false))
        {
            Task awaited = store.SaveCallAsync(StoreSamples.Call("awaited"));

            // With the writer stuck on the lock, the small queue fills and the call path's writes are dropped, not waited for.
            while (attempts < 200 && store.EnqueueCall(StoreSamples.Call($"queued-{attempts++}")))
            {
            }

            Assert.True(attempts < 200, "the queue never filled");
            Assert.Contains($"save call queued-{attempts - 1}", failures);

            // The awaited write fails with the lock's error once the busy timeout passes.
            MetadataStoreException error = await Assert.ThrowsAsync<MetadataStoreException>(() => awaited);
            Assert.Contains("could not commit", error.Message, StringComparison.Ordinal);
            held.Rollback();
        }

        await store.SaveCallAsync(StoreSamples.Call("after"));
        Assert.NotNull(await store.GetCallAsync("after"));

        // Every fire-and-forget write either landed or was reported, exactly one of the two: none vanished silently.
        await store.FlushAsync();
        for (int i = 0; i < attempts; i++)
        {
            bool landed = await store.GetCallAsync($"queued-{i}") is not null;
            Assert.NotEqual(landed, failures.Contains($"save call queued-{i}"));
        }

        Assert.Equal(failures.Count, store.BackgroundWriteFailures);
    }

    [Fact]
    public async Task A_failing_failure_handler_does_not_stop_the_writer()
    {
        await using SqliteMetadataStore store = Open(queueCapacity: 1, onFailure: (_, _) => throw new InvalidOperationException("logging is broken"));
        using SqliteConnection locker = Raw(store.DatabasePath);
        using (SqliteTransaction held = locker.BeginTransaction(deferred: false))
        {
            for (int i = 0; i < 10; i++)
            {
                store.EnqueueCall(StoreSamples.Call($"c{i}"));
            }

            held.Rollback();
        }

        await store.SaveCallAsync(StoreSamples.Call("after"));
        Assert.NotNull(await store.GetCallAsync("after"));
        Assert.True(store.BackgroundWriteFailures >= 1);
    }

    private SqliteMetadataStore Open(string? directory = null, int queueCapacity = 8192, Action<string, MetadataStoreException>? onFailure = null) =>
        SqliteMetadataStore.Open(new SqliteMetadataStoreOptions
        {
            DataDirectory = directory ?? _directory.Path,
            Time = _time,
            QueueCapacity = queueCapacity,
            BusyTimeout = TimeSpan.FromSeconds(1),
            BackgroundWriteFailed = onFailure,
        });

    private static SqliteConnection Raw(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, DefaultTimeout = 1 }.ToString());
        connection.Open();
        return connection;
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static List<object> Column(SqliteConnection connection, string sql)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        using SqliteDataReader reader = command.ExecuteReader();
        var values = new List<object>();
        while (reader.Read())
        {
            values.Add(reader.GetValue(0));
        }

        return values;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
