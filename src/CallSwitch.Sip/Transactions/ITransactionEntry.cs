namespace CallSwitch.Sip.Transactions;

/// <summary>
/// What the transaction table holds under a key: a live transaction, or what stands for one in its
/// terminal wait (<see cref="ParkedTransaction"/>). Either is ended by
/// <see cref="WaitExpiry"/> when its wait runs out.
/// </summary>
internal interface ITransactionEntry
{
    /// <summary>The key it is filed under.</summary>
    TransactionKey Key { get; }

    /// <summary>The terminal wait ran out: the entry leaves the table.</summary>
    void EndWait();
}
