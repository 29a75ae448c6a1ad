namespace CallSwitch.Sip.Transactions;

/// <summary>Which matching rule built a <see cref="TransactionKey"/>.</summary>
internal enum TransactionKeyKind
{
    Client,
    Server,
    ServerRfc2543,
}
