namespace CallSwitch.Sip.Transactions;

/// <summary>
/// The key of a transaction in the table. Client transactions: branch and CSeq method (RFC 3261
/// §17.1.3). Server transactions with an RFC 3261 branch: branch, sent-by and method, ACK counting
/// as INVITE (§17.2.3). Server transactions of RFC 2543 peers: a composite of Request-URI,
/// Call-ID, From tag, CSeq number and top Via (§17.2.3, last paragraphs) in <see cref="Branch"/>.
/// </summary>
internal readonly record struct TransactionKey(TransactionKeyKind Kind, string Branch, string SentBy, string Method)
{
    public override string ToString() => $"{Kind} {Branch} {SentBy} {Method}";
}
