using CallSwitch.Sip.Messages;
using CallSwitch.Sip.Transport;

namespace CallSwitch.Sip.Transactions;

/// <summary>
/// The transaction user (RFC 3261 §17): the UA core or B2BUA above the transaction layer.
/// Every method is called on a transport or timer thread, outside any transaction lock; an
/// implementation must return quickly and must not block (queue the work instead).
/// </summary>
public interface ISipTransactionUser
{
    /// <summary>
    /// A new request created a server transaction (any method but ACK and CANCEL). The TU
    /// answers with <see cref="ServerTransaction.SendResponseAsync"/>.
    /// </summary>
    void OnRequest(ServerTransaction transaction);

    /// <summary>
    /// A CANCEL matched an INVITE server transaction that has no final response yet (RFC 3261
    /// §9.2). The layer already answered the CANCEL with 200; the TU should now answer the
    /// INVITE with 487 (Request Terminated).
    /// </summary>
    void OnCancel(InviteServerTransaction invite, SipRequest cancel);

    /// <summary>
    /// An ACK that belongs to the TU: the ACK for a 2xx, which is its own transaction
    /// (RFC 3261 §17.1.1.3) and matches no server transaction, or one that matched an INVITE
    /// server transaction in the Accepted state (RFC 6026 §7.1).
    /// </summary>
    void OnAck(SipRequest ack, SipFlow flow);

    /// <summary>
    /// A response that matched no client transaction (RFC 3261 §17.1.3), such as a 2xx
    /// retransmission after Timer M; a UA core may re-ACK it, a proxy would forward it (§18.1.2).
    /// </summary>
    void OnStrayResponse(SipResponse response, SipFlow flow);
}
