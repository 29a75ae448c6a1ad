using CallSwitch.Sip.Parsing;
using CallSwitch.Sip.Messages;
using CallSwitch.Sip.Transport;

namespace CallSwitch.Sip.Transactions;

/// <summary>
/// The INVITE server transaction (RFC 3261 §17.2.1, Figure 7, as updated by RFC 6026 §7.1):
/// Proceeding (a 100 Trying goes out when the TU has not answered within 200 ms), Completed
/// (Timer G retransmits a 300-699 over unreliable flows, Timer H gives up waiting for the ACK),
/// Confirmed (Timer I absorbs ACK retransmissions), Accepted (after a 2xx, Timer L; the TU
/// retransmits its own 2xx and receives the ACKs), Terminated. Thread-safe.
/// </summary>
public sealed class InviteServerTransaction : ServerTransaction
{
    private ITimer? _timerTrying;
    private ITimer? _timerG;
    private TimeSpan _intervalG;
    private bool _cancelled;

    internal InviteServerTransaction(SipTransactionLayer layer, TransactionKey key, SipRequest request, SipFlow flow)
        : base(layer, key, request, flow, TransactionState.Proceeding)
    {
    }

    /// <summary>True once a CANCEL matched this transaction before its final response (RFC 3261 §9.2).</summary>
    public bool IsCancelled
    {
        get
        {
            lock (Sync)
            {
                return _cancelled;
            }
        }
    }

    /// <inheritdoc />
    public override Task SendResponseAsync(SipResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        bool terminate = false;
        lock (Sync)
        {
            switch (CurrentState)
            {
                case TransactionState.Proceeding:
                    StopTimer(ref _timerTrying);
                    LastResponse = response;
                    if (response.IsSuccess)
                    {
                        // RFC 6026 §7.1: a 2xx moves to Accepted and starts Timer L.
                        terminate = EnterWaitState(TransactionState.Accepted, Timers.SixtyFourT1, new ParkedServerTransaction(Layer, this, resend: null, acksToUser: true, LocalTag));
                    }
                    else if (response.IsFinal)
                    {
                        // §17.2.1: Completed; Timer G over unreliable flows, Timer H always.
                        CurrentState = TransactionState.Completed;
                        if (!Flow.IsReliable)
                        {
                            _intervalG = Timers.T1;
                            _timerG = StartTimer(_intervalG, OnTimerG);
                        }

                        StartTimer(Timers.SixtyFourT1, OnTimerH);
                    }

                    break;
                case TransactionState.Accepted when response.IsSuccess:
                    // RFC 6026 §7.1: the TU's 2xx retransmissions pass through the Accepted state.
                    LastResponse = response;
                    break;
                default:
                    throw NoResponseAllowed(CurrentState);
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
    internal override void Start()
    {
        lock (Sync)
        {
            _timerTrying = StartTimer(Timers.TryingDelay, OnTryingTimer);
        }
    }

    /// <inheritdoc />
    internal override void OnRequestRetransmission(SipRequest request)
    {
        SipResponse? resend;
        lock (Sync)
        {
            // §17.2.1: Proceeding resends the last provisional, Completed the final; RFC 6026 §7.1:
            // Accepted absorbs the INVITE (the TU retransmits 2xx itself), Confirmed absorbs too.
            resend = CurrentState is TransactionState.Proceeding or TransactionState.Completed ? LastResponseUnlocked : null;
        }

        if (resend is not null)
        {
            Send(resend);
        }
    }

    /// <summary>An ACK matched this transaction (RFC 3261 §17.2.3). Called on a transport thread.</summary>
    internal void OnAck(SipRequest ack)
    {
        bool terminate = false;
        bool toUser = false;
        lock (Sync)
        {
            switch (CurrentState)
            {
                case TransactionState.Completed:
                    // §17.2.1: the ACK stops G and H and starts Timer I.
                    StopTimer(ref _timerG);
                    terminate = EnterWaitState(TransactionState.Confirmed, Flow.IsReliable ? TimeSpan.Zero : Timers.T4, new ParkedServerTransaction(Layer, this, resend: null, acksToUser: false, LocalTag));
                    break;
                case TransactionState.Accepted:
                    // RFC 6026 §7.1: an ACK in Accepted goes to the TU.
                    toUser = true;
                    break;
            }
        }

        if (toUser)
        {
            Layer.InvokeUser(() => Layer.User.OnAck(ack, Flow));
        }

        if (terminate)
        {
            Terminate(TransactionTerminationReason.Normal);
        }
    }

    /// <summary>Marks the transaction cancelled when it has no final response yet (§9.2); true when it did.</summary>
    internal bool TryMarkCancelled()
    {
        lock (Sync)
        {
            if (CurrentState != TransactionState.Proceeding || _cancelled)
            {
                return false;
            }

            _cancelled = true;
            return true;
        }
    }

    private void OnTryingTimer()
    {
        SipResponse trying;
        lock (Sync)
        {
            // §17.2.1: the TU did not answer within 200 ms: send 100 Trying.
            if (CurrentState != TransactionState.Proceeding || LastResponseUnlocked is not null)
            {
                return;
            }

            trying = SipResponseFactory.CreateResponse(Request, 100);
            LastResponse = trying;
            _timerTrying = null;
        }

        Send(trying);
    }

    private void OnTimerG()
    {
        SipResponse? resend;
        lock (Sync)
        {
            if (CurrentState != TransactionState.Completed)
            {
                return;
            }

            // §17.2.1: retransmit and double the interval, capped at T2.
            _intervalG = Timers.Double(_intervalG, capAtT2: true);
            StopTimer(ref _timerG);
            _timerG = StartTimer(_intervalG, OnTimerG);
            resend = LastResponseUnlocked;
        }

        if (resend is not null)
        {
            Send(resend);
        }
    }

    private void OnTimerH()
    {
        lock (Sync)
        {
            if (CurrentState != TransactionState.Completed)
            {
                return;
            }
        }

        // §17.2.1: no ACK arrived; the TU learns of the failure through Terminated/TerminationReason.
        Terminate(TransactionTerminationReason.Timeout);
    }
}
