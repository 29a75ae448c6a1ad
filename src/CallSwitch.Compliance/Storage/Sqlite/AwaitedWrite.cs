using Microsoft.Data.Sqlite;

namespace CallSwitch.Compliance.Storage.Sqlite;

/// <summary>A write whose caller awaits its result.</summary>
internal sealed class AwaitedWrite<T> : WriteOperation
{
    private readonly Func<SqliteConnection, SqliteTransaction, T> _work;

    // Continuations run off the writer's thread: a slow caller must never hold up the queue.
    private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private T? _result;

    public AwaitedWrite(string description, Func<SqliteConnection, SqliteTransaction, T> work)
        : base(description)
    {
        _work = work;
    }

    public Task<T> Task => _completion.Task;

    public override void Execute(SqliteConnection connection, SqliteTransaction transaction) => _result = _work(connection, transaction);

    public override void Succeed() => _completion.TrySetResult(_result!);

    public override void Fail(MetadataStoreException error) => _completion.TrySetException(error);
}
