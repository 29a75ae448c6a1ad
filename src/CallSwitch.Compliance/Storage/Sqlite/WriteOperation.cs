using Microsoft.Data.Sqlite;

namespace CallSwitch.Compliance.Storage.Sqlite;

/// <summary>A write queued to the single writer: it runs inside the writer's transaction, and is told how it ended.</summary>
internal abstract class WriteOperation
{
    protected WriteOperation(string description)
    {
        Description = description;
        QueuedAt = System.Diagnostics.Stopwatch.GetTimestamp();
    }

    /// <summary>When the write was made, i.e. queued (a <see cref="System.Diagnostics.Stopwatch"/> timestamp): the start of its latency.</summary>
    public long QueuedAt { get; }

    /// <summary>What the write does, for error messages ("add recording …").</summary>
    public string Description { get; }

    /// <summary>Runs the write; throwing rolls back this write only.</summary>
    public abstract void Execute(SqliteConnection connection, SqliteTransaction transaction);

    /// <summary>The transaction holding the write committed.</summary>
    public abstract void Succeed();

    /// <summary>The write failed, or the transaction holding it did not commit. Called at most once per write that counts.</summary>
    public abstract void Fail(MetadataStoreException error);
}
