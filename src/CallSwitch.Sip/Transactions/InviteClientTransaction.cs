using System.Globalization;
using CallSwitch.Sip.Messages;
using CallSwitch.Sip.Transport;

namespace CallSwitch.Sip.Transactions;

/// <summary>
/// The INVITE client transaction (RFC 3261 §17.1.1, Figure 5, as updated by RFC 6026 §7.2):
/// Calling, Proceeding, Completed, Accepted, Terminated. Timer A retransmits over unreliable
/// flows (T1, doubling), Timer B (64*T1) times out, Timer D (32 s, zero over reliable flows)
/// absorbs final retransmissions after the transaction sent the ACK for a non-2xx, Timer M
/// (64*T1) keeps the Accepted state that passes every further 2xx to the TU, which ACKs them
/// itself (§13.2.2.4). Thread-safe.
/// </summary>
public sealed class InviteClientTransaction : ClientTransaction
{
    private ITimer? _timerA;
    private ITimer? _timerB;
    private TimeSpan _intervalA;
    private SipRequest? _ack;
    private TaskCompletionSource<SipResponse?>? _cancel;
    private string? _cancelReason;
    private bool _cancelSent;

    internal InviteClientTransaction(SipTransactionLayer layer, TransactionKey key, SipRequest request, SipFlow flow)
        : base(layer, key, request, flow, TransactionState.Calling)
    {
    }

    /// <summary>
    /// A 2xx arrived in the Accepted state (RFC 6026 §7.2): a retransmission of the first 2xx
    /// or a 2xx from another fork. The TU must send (or resend) the ACK for it. Raised on the
    /// transport thread, outside the lock. Subscribe before <see cref="ClientTransaction.Start"/>:
    /// the handlers of the moment the first 2xx arrives get every further one (the transaction
    /// then waits out Timer M as a <see cref="ParkedInviteClientTransaction"/>).
    /// </summary>
    public event Action<SipResponse>? AdditionalSuccessResponse;

    /// <summary>
    /// The first 2xx (RFC 6026 §7.2), raised on the transport thread that received it, outside
    /// the lock, before <see cref="ClientTransaction.FinalResponse"/> completes: the TU's ACK for
    /// it (§13.2.2.4) goes from here, without waiting for a thread-pool continuation or the TU's
    /// own lock (the answerer resends its 2xx from T1 on until the ACK comes, and ends the call
    /// without one). Subscribe before <see cref="ClientTransaction.Start"/>.
    /// </summary>
    public event Action<SipResponse>? Answered;

    /// <summary>The ACK the transaction built for a non-2xx final response (§17.1.1.3), or null.</summary>
    public SipRequest? Ack
    {
        get
        {
            lock (Sync)
            {
                return _ack;
            }
        }
    }

    /// <summary>
    /// Cancels the INVITE (RFC 3261 §9.1): sends a CANCEL built by <see cref="CreateCancel"/> in
    /// its own non-INVITE client transaction on the same flow. When no provisional response has
    /// arrived yet, the CANCEL waits for the first one; when a final response already arrived,
    /// nothing is sent and the task completes with null. Otherwise the task completes with the
    /// final response to the CANCEL (or faults like <see cref="ClientTransaction.FinalResponse"/>).
    /// If the INVITE then gets no final response within 64*T1, it ends with
    /// <see cref="TransactionTerminationReason.Timeout"/>. Idempotent; callable from any thread.
    /// </summary>
    /// <param name="reason">An optional Reason header value (RFC 3326), for example <c>SIP;cause=487</c>.</param>
    public Task<SipResponse?> CancelAsync(string? reason = null)
    {
        bool sendNow;
        TaskCompletionSource<SipResponse?> tcs;
        lock (Sync)
        {
            if (_cancel is not null)
            {
                return _cancel.Task;
            }

            tcs = _cancel = new TaskCompletionSource<SipResponse?>(TaskCreationOptions.RunContinuationsAsynchronously);
            _cancelReason = reason;
            switch (CurrentState)
            {
                case TransactionState.Calling:
                    // §9.1: no provisional yet, the CANCEL MUST wait for one.
                    return tcs.Task;
                case TransactionState.Proceeding:
                    sendNow = _cancelSent = true;
                    break;
                default:
                    sendNow = false;
                    break;
            }
        }

        if (sendNow)
        {
            SendCancel(tcs);
        }
        else
        {
            tcs.TrySetResult(null);
        }

        return tcs.Task;
    }

    /// <summary>
    /// Builds the CANCEL for this INVITE (RFC 3261 §9.1): same Request-URI, Call-ID, From, To and
    /// CSeq number (method CANCEL), one Via equal to the INVITE's top Via (so the same branch),
    /// and the INVITE's Route headers.
    /// </summary>
    public SipRequest CreateCancel(string? reason = null)
    {
        var cancel = new SipRequest(SipMethods.Cancel, Request.RequestUri);
        CopyCommon(cancel, SipMethods.Cancel, Request.Headers[HeaderId.To]);
        if (reason is not null)
        {
            cancel.Headers.Add(HeaderId.Reason, reason);
        }

        cancel.Headers.Add(HeaderId.ContentLength, "0");
        return cancel;
    }

    /// <inheritdoc />
    private protected override void StartTimers()
    {
        // RFC 3261 §17.1.1.2: Timer A over unreliable flows only; Timer B always.
        if (!Flow.IsReliable)
        {
            _intervalA = Timers.T1;
            _timerA = StartTimer(_intervalA, OnTimerA);
        }

        _timerB = StartTimer(Timers.SixtyFourT1, OnTimeout);
    }

    /// <inheritdoc />
    internal override void OnResponse(SipResponse response)
    {
        SipMessage? send = null;
        bool provisional = false;
        bool final = false;
        bool answered = false;
        bool additional = false;
        bool terminate = false;
        TaskCompletionSource<SipResponse?>? cancelToSend = null;
        TaskCompletionSource<SipResponse?>? cancelNotNeeded = null;
        lock (Sync)
        {
            switch (CurrentState)
            {
                case TransactionState.Calling or TransactionState.Proceeding:
                    LastResponse = response;
                    StopTimer(ref _timerA);
                    if (response.IsProvisional)
                    {
                        // §17.1.1.2: Timer B only guards the Calling state.
                        if (CurrentState == TransactionState.Calling)
                        {
                            StopTimer(ref _timerB);
                        }

                        CurrentState = TransactionState.Proceeding;
                        provisional = true;
                        if (_cancel is not null && !_cancelSent)
                        {
                            _cancelSent = true;
                            cancelToSend = _cancel;
                        }

                        break;
                    }

                    StopTimer(ref _timerB);
                    final = true;
                    if (_cancel is not null && !_cancelSent)
                    {
                        cancelNotNeeded = _cancel;
                    }

                    if (response.IsSuccess)
                    {
                        // RFC 6026 §7.2: 2xx goes to the TU, the transaction waits in Accepted for Timer M.
                        answered = true;
                        terminate = EnterWaitState(TransactionState.Accepted, Timers.SixtyFourT1, new ParkedInviteClientTransaction(Layer, this, AdditionalSuccessResponse));
                    }
                    else
                    {
                        // §17.1.1.2: the transaction ACKs a 300-699 itself and waits Timer D.
                        send = _ack = BuildAck(response);
                        terminate = EnterWaitState(TransactionState.Completed, Flow.IsReliable ? TimeSpan.Zero : Timers.TimerDUnreliable);
                    }

                    break;
                case TransactionState.Completed:
                    // §17.1.1.2: a retransmitted final gets the ACK again and is not passed up.
                    if (response.IsFinal && !response.IsSuccess)
                    {
                        send = _ack;
                    }

                    break;
                case TransactionState.Accepted:
                    // RFC 6026 §7.2: every 2xx in Accepted goes to the TU; anything else is absorbed.
                    additional = response.IsSuccess;
                    break;
                default:
                    return;
            }
        }

        if (send is not null)
        {
            Send(send);
        }

        if (provisional)
        {
            RaiseProvisional(response);
        }

        if (final)
        {
            // Let go of the handler whatever the answer: a refused INVITE waits out Timer D.
            Action<SipResponse>? onAnswered = Answered;
            Answered = null;
            if (answered && onAnswered is not null)
            {
                Layer.InvokeUser(() => onAnswered(response));
            }

            CompleteFinal(response);
        }

        if (additional)
        {
            Layer.InvokeUser(() => AdditionalSuccessResponse?.Invoke(response));
        }

        cancelNotNeeded?.TrySetResult(null);
        if (cancelToSend is not null)
        {
            SendCancel(cancelToSend);
        }

        if (terminate)
        {
            Terminate(TransactionTerminationReason.Normal);
        }
    }

    /// <inheritdoc />
    private protected override void OnTerminated(TransactionTerminationReason reason, Exception? error)
    {
        base.OnTerminated(reason, error);
        TaskCompletionSource<SipResponse?>? pending;
        lock (Sync)
        {
            pending = _cancel is not null && !_cancelSent ? _cancel : null;
        }

        pending?.TrySetResult(null);
    }

    private void SendCancel(TaskCompletionSource<SipResponse?> tcs)
    {
        SipRequest cancel = CreateCancel(_cancelReason);
        lock (Sync)
        {
            // §9.1: without a final response to the INVITE within 64*T1 of the CANCEL, give it up.
            if (CurrentState == TransactionState.Proceeding)
            {
                _timerB = StartTimer(Timers.SixtyFourT1, OnTimeout);
            }
        }

        ClientTransaction transaction = Layer.CreateClientTransaction(cancel, Flow);
        transaction.Start();
        _ = RelayAsync(transaction, tcs);
    }

    private static async Task RelayAsync(ClientTransaction transaction, TaskCompletionSource<SipResponse?> tcs)
    {
        try
        {
            tcs.TrySetResult(await transaction.FinalResponse.ConfigureAwait(false));
        }
        catch (Exception ex)
        {
            tcs.TrySetException(ex);
        }
    }

    /// <summary>RFC 3261 §17.1.1.3: the ACK for a non-2xx final response.</summary>
    private SipRequest BuildAck(SipResponse response)
    {
        var ack = new SipRequest(SipMethods.Ack, Request.RequestUri);
        CopyCommon(ack, SipMethods.Ack, response.Headers[HeaderId.To] ?? Request.Headers[HeaderId.To]);
        ack.Headers.Add(HeaderId.ContentLength, "0");
        return ack;
    }

    /// <summary>Via (the top one only), Max-Forwards, From, To, Call-ID, CSeq and Route for ACK and CANCEL.</summary>
    private void CopyCommon(SipRequest target, string method, string? to)
    {
        var headers = target.Headers;
        var vias = Request.Headers.GetValues(HeaderId.Via);
        if (vias.Count > 0)
        {
            headers.Add(HeaderId.Via, vias[0]);
        }

        headers.Add(HeaderId.MaxForwards, "70");
        AddIfPresent(headers, HeaderId.From, Request.Headers[HeaderId.From]);
        AddIfPresent(headers, HeaderId.To, to);
        AddIfPresent(headers, HeaderId.CallId, Request.Headers[HeaderId.CallId]);
        uint number = Request.CSeq?.Number ?? 0;
        headers.Add(HeaderId.CSeq, number.ToString(CultureInfo.InvariantCulture) + " " + method);
        foreach (string route in Request.Headers.GetValues(HeaderId.Route))
        {
            headers.Add(HeaderId.Route, route);
        }
    }

    private static void AddIfPresent(SipHeaderCollection headers, HeaderId id, string? value)
    {
        if (value is not null)
        {
            headers.Add(id, value);
        }
    }

    private void OnTimerA()
    {
        lock (Sync)
        {
            if (CurrentState != TransactionState.Calling)
            {
                return;
            }

            // §17.1.1.2: each time Timer A fires the request is retransmitted and the interval doubles.
            _intervalA = Timers.Double(_intervalA, capAtT2: false);
            StopTimer(ref _timerA);
            _timerA = StartTimer(_intervalA, OnTimerA);
        }

        Send(Request);
    }

    private void OnTimeout()
    {
        lock (Sync)
        {
            // Timer B (Calling) or the §9.1 CANCEL give-up timer (Proceeding).
            if (CurrentState is not (TransactionState.Calling or TransactionState.Proceeding))
            {
                return;
            }
        }

        Terminate(TransactionTerminationReason.Timeout);
    }
}
