using Microsoft.Data.Sqlite;

namespace CallSwitch.Compliance.Storage.Sqlite;

/// <summary>A write nobody awaits (call records from the call path): a failure goes to the store's handler.</summary>
internal sealed class FireAndForgetWrite : WriteOperation
{
    private readonly Action<SqliteConnection, SqliteTransaction> _work;
    private readonly Action<string, MetadataStoreException> _onFailure;
    private int _failed;

    public FireAndForgetWrite(string description, Action<SqliteConnection, SqliteTransaction> work, Action<string, MetadataStoreException> onFailure)
        : base(description)
    {
        _work = work;
        _onFailure = onFailure;
    }

    public override void Execute(SqliteConnection connection, SqliteTransaction transaction) => _work(connection, transaction);

    public override void Succeed()
    {
    }

    public override void Fail(MetadataStoreException error)
    {
        // A write that failed on its own is failed again when its batch cannot commit: report once.
        if (Interlocked.Exchange(ref _failed, 1) == 0)
        {
            _onFailure(Description, error);
        }
    }
}
