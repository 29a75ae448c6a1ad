using CallSwitch.Sip.Messages;
using CallSwitch.Sip.Transport;

namespace CallSwitch.Sip.Transactions;

/// <summary>
/// The non-INVITE server transaction (RFC 3261 §17.2.2, Figure 8): Trying, Proceeding,
/// Completed (Timer J: 64*T1 over unreliable flows, zero over reliable ones), Terminated.
/// Thread-safe.
/// </summary>
public sealed class NonInviteServerTransaction : ServerTransaction
{
    internal NonInviteServerTransaction(SipTransactionLayer layer, TransactionKey key, SipRequest request, SipFlow flow)
        : base(layer, key, request, flow, TransactionState.Trying)
    {
    }

    /// <inheritdoc />
    public override Task SendResponseAsync(SipResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        bool terminate = false;
        lock (Sync)
        {
            if (CurrentState is not (TransactionState.Trying or TransactionState.Proceeding))
            {
                throw NoResponseAllowed(CurrentState);
            }

            LastResponse = response;
            if (response.IsProvisional)
            {
                CurrentState = TransactionState.Proceeding;
            }
            else
            {
                // §17.2.2: a final response enters Completed and starts Timer J.
                terminate = EnterWaitState(TransactionState.Completed, Flow.IsReliable ? TimeSpan.Zero : Timers.SixtyFourT1, new ParkedServerTransaction(Layer, this, resend: response, acksToUser: false, inviteLocalTag: null));
            }
        }

        Task sent = SendAwaitedAsync(response);
        if (terminate)
        {
            Terminate(TransactionTerminationReason.Normal);
        }

        return sent;
    }

    /// <inheritdoc />
    internal override void OnRequestRetransmission(SipRequest request)
    {
        SipResponse? resend;
        lock (Sync)
        {
            // §17.2.2: discarded in Trying; the last response is resent in Proceeding and Completed.
            resend = CurrentState is TransactionState.Proceeding or TransactionState.Completed ? LastResponseUnlocked : null;
        }

        if (resend is not null)
        {
            Send(resend);
        }
    }
}
