using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace CallSwitch.Compliance.Storage.Sqlite;

/// <summary>
/// The one thread that writes to the database. Callers queue writes into a bounded channel and go
/// on; the writer takes what is queued (up to a batch), runs each write under its own savepoint
/// inside one transaction and commits once. A failing write is rolled back alone and reported to
/// its caller; the others commit and the writer carries on. SQLite allows one writer at a time
/// anyway: queueing here keeps the call path off the file lock and the disk.
/// </summary>
/// <remarks>
/// A thread of its own, not the pool's: SQLite does its I/O synchronously (a commit's writes, a
/// checkpoint's fsync), and at 200 recorded set-ups per second the writer is always busy; on a
/// 2-core machine it held one of the pool's two minimum threads, and a disk slow to answer
/// starved the calls' signalling until the pool added a thread (~500 ms).
/// </remarks>
internal sealed class SqliteWriter : IAsyncDisposable
{
    private const string Savepoint = "write";

    private readonly SqliteConnection _connection;
    private readonly Channel<WriteOperation> _queue;
    private readonly int _maxBatch;
    private readonly TaskCompletionSource _loop = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Woken without spinning first: a waiting thread that spins burns the core the calls need
    // (bench/notes/2026-12-07-thread-pool-spin.md).
    private readonly ManualResetEventSlim _ready = new(false, spinCount: 0);
    private readonly WriteLatencyHistogram? _latency;
    private volatile bool _closed;

    public SqliteWriter(SqliteConnection connection, int capacity, int maxBatch, WriteLatencyHistogram? latency = null)
    {
        _connection = connection;
        _latency = latency;
        _maxBatch = maxBatch;
        _queue = Channel.CreateBounded<WriteOperation>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        new Thread(Run) { IsBackground = true, Name = "metadata writer" }.Start();
    }

    /// <summary>Queues a write and waits for its commit. The cancellation token cancels the wait, not a write already queued.</summary>
    public async Task<T> WriteAsync<T>(string description, Func<SqliteConnection, SqliteTransaction, T> work, CancellationToken cancellationToken)
    {
        var operation = new AwaitedWrite<T>(description, work);
        try
        {
            await _queue.Writer.WriteAsync(operation, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            throw new ObjectDisposedException(nameof(SqliteMetadataStore), "The metadata store is closed.");
        }

        return await operation.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Queues a write without waiting; false if the queue is full.</summary>
    /// <exception cref="ObjectDisposedException">The writer is closed.</exception>
    public bool TryEnqueue(FireAndForgetWrite operation)
    {
        if (_queue.Writer.TryWrite(operation))
        {
            return true;
        }

        // TryWrite says false both when full and when closed; only the second is the caller's bug.
        if (_loop.Task.IsCompleted || _closed)
        {
            throw new ObjectDisposedException(nameof(SqliteMetadataStore), "The metadata store is closed.");
        }

        return false;
    }

    /// <summary>Stops taking writes, lets the queued ones finish, and returns when the last has committed.</summary>
    public async ValueTask DisposeAsync()
    {
        _closed = true;
        _queue.Writer.TryComplete();
        await _loop.Task.ConfigureAwait(false);
        _ready.Dispose();
    }

    private void Run()
    {
        try
        {
            var batch = new List<WriteOperation>(_maxBatch);
            while (WaitForWork())
            {
                while (batch.Count < _maxBatch && _queue.Reader.TryRead(out WriteOperation? operation))
                {
                    batch.Add(operation);
                }

                Run(batch);
                batch.Clear();
            }

            _loop.TrySetResult();
        }
        catch (Exception e)
        {
            _loop.TrySetException(e);
        }
    }

    /// <summary>Blocks this thread (its own) until there is work (true) or the queue is closed (false).</summary>
    private bool WaitForWork()
    {
        ValueTask<bool> more = _queue.Reader.WaitToReadAsync();
        if (more.IsCompleted)
        {
            return more.GetAwaiter().GetResult();
        }

        Task<bool> pending = more.AsTask();
        _ready.Reset();
        pending.ContinueWith(static (_, ready) => ((ManualResetEventSlim)ready!).Set(), _ready, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        _ready.Wait();
        return pending.GetAwaiter().GetResult();
    }

    private void Run(List<WriteOperation> batch)
    {
        var committed = new List<WriteOperation>(batch.Count);
        SqliteTransaction? transaction = null;
        try
        {
            transaction = _connection.BeginTransaction(deferred: false);
            foreach (WriteOperation operation in batch)
            {
                transaction.Save(Savepoint);
                try
                {
                    operation.Execute(_connection, transaction);
                    transaction.Release(Savepoint);
                    committed.Add(operation);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    // Only this write's changes go; the batch's other writes stay and commit.
                    transaction.Rollback(Savepoint);
                    transaction.Release(Savepoint);
                    operation.Fail(Describe(operation, e));
                }
            }

            transaction.Commit();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Commit failed (disk full, I/O error) or SQLite aborted the transaction itself: no
            // write of the batch landed. Say so to each; the next batch starts afresh.
            TryRollback(transaction);
            foreach (WriteOperation operation in batch)
            {
                operation.Fail(new MetadataStoreException($"The metadata database could not commit ({operation.Description}): {e.Message}", e));
            }

            return;
        }
        finally
        {
            transaction?.Dispose();
        }

        long now = System.Diagnostics.Stopwatch.GetTimestamp();
        foreach (WriteOperation operation in committed)
        {
            // Queue wait + execution + commit: how long the caller's write took to be durable.
            _latency?.Record(System.Diagnostics.Stopwatch.GetElapsedTime(operation.QueuedAt, now));
            operation.Succeed();
        }
    }

    private static void TryRollback(SqliteTransaction? transaction)
    {
        if (transaction?.Connection is null)
        {
            return;
        }

        try
        {
            transaction.Rollback();
        }
        catch (SqliteException)
        {
            // SQLite may already have rolled back on its own (SQLITE_FULL); nothing more to undo.
        }
        catch (InvalidOperationException)
        {
            // Already completed.
        }
    }

    private static MetadataStoreException Describe(WriteOperation operation, Exception error) => error switch
    {
        MetadataStoreException refused => refused,
        SqliteException { SqliteErrorCode: 19 } constraint =>
            new MetadataStoreException($"The metadata database refused to {operation.Description}: {constraint.Message}", constraint),
        _ => new MetadataStoreException($"Could not {operation.Description}: {error.Message}", error),
    };
}
