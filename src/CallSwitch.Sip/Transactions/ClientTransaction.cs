using CallSwitch.Sip.Messages;
using CallSwitch.Sip.Transport;

namespace CallSwitch.Sip.Transactions;

/// <summary>
/// A client transaction (RFC 3261 §17.1). Created by <see cref="SipTransactionLayer.CreateClientTransaction"/>,
/// subscribed to by the TU, then started with <see cref="Start"/>. Provisional responses are
/// raised as <see cref="ProvisionalReceived"/>; the final response completes <see cref="FinalResponse"/>.
/// </summary>
public abstract class ClientTransaction : SipTransaction
{
    private readonly TaskCompletionSource<SipResponse> _final = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _started;

    private protected ClientTransaction(SipTransactionLayer layer, TransactionKey key, SipRequest request, SipFlow flow, TransactionState initial)
        : base(layer, key, request, flow, initial)
    {
    }

    /// <summary>
    /// A 1xx arrived (RFC 3261 §17.1.1.2, §17.1.2.2): for a B2BUA to relay 180/183. Raised on the
    /// transport thread that received it, outside the transaction lock, in arrival order per flow.
    /// </summary>
    public event Action<ClientTransaction, SipResponse>? ProvisionalReceived;

    /// <summary>
    /// Completes with the first final response (continuations run asynchronously). Faults with
    /// <see cref="SipTransactionTimeoutException"/> when Timer B or F fires (a 408 for the TU,
    /// RFC 3261 §8.1.3.1) and with the transport's exception (normally <see cref="SipTransportException"/>)
    /// when the request cannot be sent (§17.1.4).
    /// </summary>
    public Task<SipResponse> FinalResponse => _final.Task;

    /// <summary>The last response received, or null.</summary>
    public SipResponse? LastResponse { get; private protected set; }

    /// <summary>
    /// Enters the transaction table, sends the request and starts the timers. Call once, from
    /// any thread, after subscribing to the events.
    /// </summary>
    public void Start()
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("The transaction was already started.");
        }

        Layer.Register(this);
        lock (Sync)
        {
            StartTimers();
        }

        Send(Request);
    }

    /// <summary>A response matched this transaction (RFC 3261 §17.1.3). Called on a transport thread.</summary>
    internal abstract void OnResponse(SipResponse response);

    /// <summary>Starts the first timers; called with the lock held.</summary>
    private protected abstract void StartTimers();

    /// <summary>
    /// Hands the final response to the TU and lets go of its provisional handlers: no 1xx is
    /// raised after a final one, and a transaction that waits out Timer D, K or M (up to 32 s)
    /// must not keep its TU's call alive (at 300 set-ups per second that was every call of the
    /// last 32 s, sockets and messages included: bench/notes/2026-12-07-call-setup-profile.md).
    /// </summary>
    private protected void CompleteFinal(SipResponse response)
    {
        ProvisionalReceived = null;
        _final.TrySetResult(response);
    }

    /// <summary>Raises <see cref="ProvisionalReceived"/>.</summary>
    private protected void RaiseProvisional(SipResponse response) =>
        Layer.InvokeUser(() => ProvisionalReceived?.Invoke(this, response));

    /// <inheritdoc />
    private protected override void OnTerminated(TransactionTerminationReason reason, Exception? error)
    {
        switch (reason)
        {
            case TransactionTerminationReason.Timeout:
                _final.TrySetException(new SipTransactionTimeoutException(
                    $"{Method} transaction {Branch} timed out without a final response (treat as 408, RFC 3261 §8.1.3.1)."));
                break;
            case TransactionTerminationReason.TransportError:
                _final.TrySetException(error ?? new SipTransportException("The request could not be sent."));
                break;
            default:
                _final.TrySetException(new InvalidOperationException("The transaction ended without a final response."));
                break;
        }
    }
}
