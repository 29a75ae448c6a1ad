namespace CallSwitch.Sip.Transactions;

/// <summary>
/// What stands for a transaction in the table through its terminal wait (64·T1 over UDP), in
/// place of the transaction itself, which the TU is done with long before: its key, and the
/// transaction weakly referenced. When the wait ends (or a resend fails) the entry leaves the
/// table and, if its TU still holds the transaction, the transaction is ended as it would have
/// been (its state becomes Terminated, <see cref="SipTransaction.Terminated"/> is raised).
/// </summary>
internal abstract class ParkedTransaction : ITransactionEntry
{
    private readonly WeakReference<SipTransaction> _transaction;

    private protected ParkedTransaction(SipTransactionLayer layer, SipTransaction transaction)
    {
        Layer = layer;
        _transaction = new WeakReference<SipTransaction>(transaction);
        Key = transaction.Key;
    }

    /// <inheritdoc />
    public TransactionKey Key { get; }

    private protected SipTransactionLayer Layer { get; }

    /// <inheritdoc />
    public void EndWait()
    {
        Layer.Remove(this);
        if (_transaction.TryGetTarget(out SipTransaction? transaction))
        {
            transaction.EndWait();
        }
    }

    /// <summary>A send on the transaction's behalf failed (RFC 3261 §17.1.4, §17.2.4): the transaction ends.</summary>
    private protected void EndWithTransportError(Exception error)
    {
        Layer.Remove(this);
        if (_transaction.TryGetTarget(out SipTransaction? transaction))
        {
            transaction.EndWithTransportError(error);
        }
    }
}
