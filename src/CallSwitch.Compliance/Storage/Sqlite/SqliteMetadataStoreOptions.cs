namespace CallSwitch.Compliance.Storage.Sqlite;

/// <summary>How a <see cref="SqliteMetadataStore"/> is opened.</summary>
public sealed record SqliteMetadataStoreOptions
{
    /// <summary>The database file's name inside the data directory.</summary>
    public const string DefaultFileName = "metadata.db";

    /// <summary>The data directory (switch.paths.data); created if missing.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>The database file's name.</summary>
    public string FileName { get; init; } = DefaultFileName;

    /// <summary>
    /// Writes that may wait for the writer. When full, awaited writes wait for room and
    /// fire-and-forget writes are dropped (and reported), so the call path never waits on the disk.
    /// </summary>
    public int QueueCapacity { get; init; } = 8192;

    /// <summary>The most writes committed in one transaction.</summary>
    public int MaxBatch { get; init; } = 256;

    /// <summary>
    /// How long the writer waits for the file lock another process holds (a backup, sqlite3 on the
    /// console) before the batch fails; whole seconds, at least one.
    /// </summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Time, for schema_version and the store's own audit entries (erasure, holds).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>
    /// Told about fire-and-forget writes that failed or were dropped (description, error); called on
    /// the writer's thread or the caller's, so it must be quick and must not throw. Log it here.
    /// </summary>
    public Action<string, MetadataStoreException>? BackgroundWriteFailed { get; init; }

    /// <summary>The database file's full path.</summary>
    public string DatabasePath => Path.Combine(DataDirectory, FileName);

    /// <summary>
    /// The keyed hash of a phone number (the vault's <c>Digest</c>), so that holds on a number find
    /// its recordings without the number being stored in the hold. Null in processes without the
    /// master key: a hold on a number then cannot be evaluated and an erasure it could cover fails
    /// (nothing is erased) rather than ignoring it.
    /// </summary>
    public Func<string, string>? NumberDigest { get; init; }

    /// <summary>
    /// Where the writer records each committed write's latency (queued → committed), for the
    /// switch's metrics and logs; null records nothing.
    /// </summary>
    public WriteLatencyHistogram? WriteLatency { get; init; }
}
