using CallSwitch.Sip.Messages;
using CallSwitch.Sip.Transport;

namespace CallSwitch.Sip.Transactions;

/// <summary>
/// What the four transaction machines share (RFC 3261 §17): the request that created the
/// transaction, the flow it uses, its state, its timers and the way it ends. Every member is
/// thread-safe: messages arrive on transport threads, timers fire on timer threads, the TU
/// calls from its own. Callbacks to the TU are raised outside the transaction's lock.
/// </summary>
public abstract class SipTransaction : ITransactionEntry
{
    private readonly List<ITimer> _timers = [];
    private TransactionState _state;
    private ParkedTransaction? _parked;

    private protected SipTransaction(SipTransactionLayer layer, TransactionKey key, SipRequest request, SipFlow flow, TransactionState initial)
    {
        Layer = layer;
        Key = key;
        Request = request;
        Flow = flow;
        _state = initial;
    }

    /// <summary>
    /// Raised once, on whichever thread ended the transaction, after it left the transaction
    /// table. <see cref="TerminationReason"/> and <see cref="Error"/> say why.
    /// </summary>
    public event Action<SipTransaction>? Terminated;

    /// <summary>The request that created the transaction.</summary>
    public SipRequest Request { get; }

    /// <summary>The flow the transaction sends on (for a server transaction, the flow the request came on).</summary>
    public SipFlow Flow { get; }

    /// <summary>The top Via branch of the request.</summary>
    public string Branch => Request.TopVia?.Branch ?? string.Empty;

    /// <summary>The method of the request (INVITE, BYE, CANCEL…).</summary>
    public string Method => Request.Method;

    /// <summary>The current state.</summary>
    public TransactionState State
    {
        get
        {
            lock (Sync)
            {
                return _state;
            }
        }
    }

    /// <summary>Why the transaction ended; <see cref="TransactionTerminationReason.None"/> while it lives.</summary>
    public TransactionTerminationReason TerminationReason { get; private set; }

    /// <summary>The transport error that ended the transaction, or null.</summary>
    public Exception? Error { get; private set; }

    /// <summary>The key the transaction is filed under in the layer's table.</summary>
    internal TransactionKey Key { get; }

    TransactionKey ITransactionEntry.Key => Key;

    private protected SipTransactionLayer Layer { get; }

    private protected SipTimerSettings Timers => Layer.Settings;

    private protected object Sync { get; } = new();

    /// <summary>The state, read or written by a subclass holding <see cref="Sync"/>.</summary>
    private protected TransactionState CurrentState
    {
        get => _state;
        set => _state = value;
    }

    /// <summary>Starts a one-shot timer; the callback runs on a timer thread. Call with <see cref="Sync"/> held.</summary>
    private protected ITimer StartTimer(TimeSpan due, Action onFire)
    {
        ITimer timer = Layer.Time.CreateTimer(static s => ((Action)s!)(), onFire, due, Timeout.InfiniteTimeSpan);
        _timers.Add(timer);
        return timer;
    }

    /// <summary>Stops a timer started by <see cref="StartTimer"/>. Call with <see cref="Sync"/> held.</summary>
    private protected void StopTimer(ref ITimer? timer)
    {
        if (timer is not null)
        {
            timer.Dispose();
            _timers.Remove(timer);
            timer = null;
        }
    }

    /// <summary>
    /// Sends a message without waiting; a transport error terminates the transaction with
    /// <see cref="TransactionTerminationReason.TransportError"/>. Call without <see cref="Sync"/> held.
    /// </summary>
    private protected void Send(SipMessage message) => _ = SendCoreAsync(message, rethrow: false);

    /// <summary>Sends a message; the task faults with the transport error after the transaction terminated.</summary>
    private protected Task SendAwaitedAsync(SipMessage message) => SendCoreAsync(message, rethrow: true);

    /// <summary>
    /// Ends the transaction: stops its timers, removes it from the table, lets the subclass
    /// settle its pending results, then raises <see cref="Terminated"/>. Idempotent.
    /// </summary>
    private protected void Terminate(TransactionTerminationReason reason, Exception? error = null)
    {
        lock (Sync)
        {
            if (_state == TransactionState.Terminated)
            {
                return;
            }

            _state = TransactionState.Terminated;
            TerminationReason = reason;
            Error = error;
            foreach (ITimer timer in _timers)
            {
                timer.Dispose();
            }

            _timers.Clear();
        }

        Layer.Remove(this);
        if (_parked is not null)
        {
            // Ended during its wait (a transport error): what stood for it leaves the table too.
            Layer.Remove(_parked);
        }

        OnTerminated(reason, error);
        Layer.InvokeUser(() => Terminated?.Invoke(this));
    }

    /// <summary>
    /// Enters a state with a wait timer that ends the transaction (Timers D, I, J, K, L, M):
    /// a zero wait (reliable flows) terminates at once. Returns true when the caller must call
    /// <see cref="Terminate"/> after leaving the lock. Call with <see cref="Sync"/> held.
    /// </summary>
    /// <param name="state">The waiting state.</param>
    /// <param name="wait">How long it lasts.</param>
    /// <param name="parked">
    /// What stands for the transaction in the table through the wait (<see cref="ParkedServerTransaction"/>,
    /// <see cref="ParkedInviteClientTransaction"/>), or null to keep the transaction itself there.
    /// </param>
    private protected bool EnterWaitState(TransactionState state, TimeSpan wait, ParkedTransaction? parked = null)
    {
        _state = state;
        if (wait <= TimeSpan.Zero)
        {
            return true;
        }

        if (parked is not null && Layer.Park(this, parked))
        {
            _parked = parked;
            Layer.Waits.Add(parked, wait);
        }
        else
        {
            Layer.Waits.Add(this, wait);
        }

        return false;
    }

    /// <summary>The terminal wait entered by <see cref="EnterWaitState"/> ran out (<see cref="WaitExpiry"/>).</summary>
    internal void EndWait() => Terminate(TransactionTerminationReason.Normal);

    void ITransactionEntry.EndWait() => EndWait();

    /// <summary>A parked transaction's resend failed (RFC 3261 §17.2.4).</summary>
    internal void EndWithTransportError(Exception error) => Terminate(TransactionTerminationReason.TransportError, error);

    /// <summary>Whether a send failed for a transport reason, which ends the transaction (RFC 3261 §17.1.4, §17.2.4).</summary>
    internal static bool IsTransportFailure(Exception error) =>
        error is SipTransportException or IOException or System.Net.Sockets.SocketException or ObjectDisposedException;

    /// <summary>Called once after the transaction terminated, outside the lock: settle tasks, notify.</summary>
    private protected virtual void OnTerminated(TransactionTerminationReason reason, Exception? error)
    {
    }

    private async Task SendCoreAsync(SipMessage message, bool rethrow)
    {
        try
        {
            // RFC 3261 §18.2.2: responses go where the top Via says (received, rport, maddr).
            ValueTask send = message is SipResponse response
                ? Layer.Transport.SendResponseAsync(response, Flow)
                : Layer.Transport.SendAsync(message, Flow);
            await send.ConfigureAwait(false);
        }
        catch (Exception ex) when (IsTransportFailure(ex))
        {
            // RFC 3261 §17.1.4 / §17.2.4: a transport failure ends the transaction and is reported to the TU.
            Terminate(TransactionTerminationReason.TransportError, ex);
            if (rethrow)
            {
                throw;
            }
        }
    }
}
