using CallSwitch.Sip.Messages;
using CallSwitch.Sip.Transport;

namespace CallSwitch.Sip.Transactions;

/// <summary>
/// The non-INVITE client transaction (RFC 3261 §17.1.2, Figure 6): Trying, Proceeding,
/// Completed, Terminated, with Timers E (retransmission, T1 doubling up to T2), F (64*T1
/// timeout) and K (T4 wait, zero over reliable flows). Thread-safe.
/// </summary>
public sealed class NonInviteClientTransaction : ClientTransaction
{
    private ITimer? _timerE;
    private TimeSpan _intervalE;

    internal NonInviteClientTransaction(SipTransactionLayer layer, TransactionKey key, SipRequest request, SipFlow flow)
        : base(layer, key, request, flow, TransactionState.Trying)
    {
    }

    /// <inheritdoc />
    private protected override void StartTimers()
    {
        // RFC 3261 §17.1.2.2: Timer E only over unreliable flows; Timer F always.
        if (!Flow.IsReliable)
        {
            _intervalE = Timers.T1;
            _timerE = StartTimer(_intervalE, OnTimerE);
        }

        StartTimer(Timers.SixtyFourT1, OnTimerF);
    }

    /// <inheritdoc />
    internal override void OnResponse(SipResponse response)
    {
        bool provisional = false;
        bool final = false;
        bool terminate = false;
        lock (Sync)
        {
            if (CurrentState is not (TransactionState.Trying or TransactionState.Proceeding))
            {
                // Completed: retransmitted finals are absorbed (§17.1.2.2).
                return;
            }

            LastResponse = response;
            if (response.IsProvisional)
            {
                CurrentState = TransactionState.Proceeding;
                provisional = true;
            }
            else
            {
                // RFC 3261 §17.1.2.2: a final response stops E and F and starts Timer K.
                // (Timer F's callback checks the state, so it needs no stopping.)
                StopTimer(ref _timerE);
                terminate = EnterWaitState(TransactionState.Completed, Flow.IsReliable ? TimeSpan.Zero : Timers.T4);
                final = true;
            }
        }

        if (provisional)
        {
            RaiseProvisional(response);
        }

        if (final)
        {
            CompleteFinal(response);
        }

        if (terminate)
        {
            Terminate(TransactionTerminationReason.Normal);
        }
    }

    private void OnTimerE()
    {
        lock (Sync)
        {
            if (CurrentState is not (TransactionState.Trying or TransactionState.Proceeding))
            {
                return;
            }

            // RFC 3261 §17.1.2.2: in Trying the interval doubles up to T2; in Proceeding it is T2.
            _intervalE = CurrentState == TransactionState.Trying ? Timers.Double(_intervalE, capAtT2: true) : Timers.T2;
            StopTimer(ref _timerE);
            _timerE = StartTimer(_intervalE, OnTimerE);
        }

        Send(Request);
    }

    private void OnTimerF()
    {
        lock (Sync)
        {
            if (CurrentState is not (TransactionState.Trying or TransactionState.Proceeding))
            {
                return;
            }
        }

        // RFC 3261 §17.1.2.2: Timer F fired, the TU is told of the timeout.
        Terminate(TransactionTerminationReason.Timeout);
    }
}
