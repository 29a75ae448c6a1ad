using CallSwitch.Sip.Parsing;
using CallSwitch.Sip.Messages;
using CallSwitch.Sip.Transport;

namespace CallSwitch.Sip.Transactions;

/// <summary>
/// A server transaction (RFC 3261 §17.2), handed to the TU by
/// <see cref="ISipTransactionUser.OnRequest"/>. The TU answers with <see cref="SendResponseAsync"/>
/// from any thread; responses go out on <see cref="SipTransaction.Flow"/>, the flow the request came on.
/// </summary>
public abstract class ServerTransaction : SipTransaction
{
    private SipResponse? _lastResponse;

    private protected ServerTransaction(SipTransactionLayer layer, TransactionKey key, SipRequest request, SipFlow flow, TransactionState initial)
        : base(layer, key, request, flow, initial)
    {
        LocalTag = request.To?.Tag ?? SipIdentifiers.NewTag();
    }

    /// <summary>
    /// The To tag used by <see cref="CreateResponse"/>: the request's own To tag for an in-dialog
    /// request, otherwise a fresh random tag shared by every response of this transaction.
    /// </summary>
    public string LocalTag { get; }

    /// <summary>The last response sent, or null.</summary>
    public SipResponse? LastResponse
    {
        get
        {
            lock (Sync)
            {
                return _lastResponse;
            }
        }

        private protected set => _lastResponse = value;
    }

    /// <summary>A response to the request (RFC 3261 §8.2.6) carrying <see cref="LocalTag"/> (not on a 100).</summary>
    public SipResponse CreateResponse(int statusCode, string? reasonPhrase = null) =>
        SipResponseFactory.CreateResponse(Request, statusCode, reasonPhrase, LocalTag);

    /// <summary>
    /// Sends a response through the transaction, which keeps it for retransmissions. Thread-safe.
    /// The task faults with the transport's exception when it cannot be sent (the transaction is
    /// then terminated with <see cref="TransactionTerminationReason.TransportError"/>). Throws
    /// <see cref="InvalidOperationException"/> when the state allows no response (a final was already sent).
    /// </summary>
    public abstract Task SendResponseAsync(SipResponse response);

    /// <summary>The request arrived again (RFC 3261 §17.2.1, §17.2.2). Called on a transport thread.</summary>
    internal abstract void OnRequestRetransmission(SipRequest request);

    /// <summary>Starts the first timers once the transaction is in the table.</summary>
    internal virtual void Start()
    {
    }

    /// <summary>The last response (read with the lock held by the subclass).</summary>
    private protected SipResponse? LastResponseUnlocked => _lastResponse;

    private protected static InvalidOperationException NoResponseAllowed(TransactionState state) =>
        new($"A response cannot be sent in the {state} state.");
}
