using CallSwitch.Sip.Parsing;
using System.Collections.Concurrent;
using System.Net.Sockets;
using CallSwitch.Sip.Messages;
using CallSwitch.Sip.Transport;

namespace CallSwitch.Sip.Transactions;

/// <summary>
/// The transaction layer (RFC 3261 §17, RFC 6026): the table of live transactions, the matching
/// of incoming messages to them (§17.1.3, §17.2.3, with the RFC 2543 fallback), the handling of
/// CANCEL (§9.2), and the factory of client transactions. It sends only through
/// <see cref="ISipTransport.SendAsync"/>. Every public member is thread-safe.
/// </summary>
public sealed class SipTransactionLayer : ISipMessageHandler
{
    private readonly ConcurrentDictionary<TransactionKey, ITransactionEntry> _table = new();

    /// <summary>Creates the layer.</summary>
    /// <param name="transport">Where messages are sent.</param>
    /// <param name="user">The TU that receives new requests, CANCELs, 2xx ACKs and stray responses.</param>
    /// <param name="timeProvider">The clock of every transaction timer.</param>
    /// <param name="settings">T1, T2, T4; <see cref="SipTimerSettings.Default"/> when null.</param>
    public SipTransactionLayer(ISipTransport transport, ISipTransactionUser user, TimeProvider timeProvider, SipTimerSettings? settings = null)
    {
        Transport = transport ?? throw new ArgumentNullException(nameof(transport));
        User = user ?? throw new ArgumentNullException(nameof(user));
        Time = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        Settings = settings ?? SipTimerSettings.Default;
        Waits = new WaitExpiry(Time, Settings.WaitSlack);
    }

    /// <summary>
    /// An exception thrown by a TU callback or event handler. The layer catches it so that a
    /// faulty handler cannot break a transport or timer thread; subscribe to log it. Raised on
    /// the thread that ran the handler.
    /// </summary>
    public event Action<Exception>? CallbackFailed;

    /// <summary>The number of live transactions (client and server).</summary>
    public int Count => _table.Count;

    internal ISipTransport Transport { get; }

    internal ISipTransactionUser User { get; }

    internal TimeProvider Time { get; }

    internal SipTimerSettings Settings { get; }

    /// <summary>The transactions in a terminal wait, ended when it runs out.</summary>
    internal WaitExpiry Waits { get; }

    /// <summary>
    /// Entry point of the transport: every parsed message with the flow it arrived on. Called on
    /// transport threads, concurrently. Messages without a usable top Via or CSeq are dropped
    /// (validation and 400 answers happen before this layer).
    /// </summary>
    public void OnMessage(SipMessage message, SipFlow flow)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message is SipResponse response)
        {
            OnResponse(response, flow);
        }
        else if (message is SipRequest request)
        {
            OnRequest(request, flow);
        }
    }

    /// <summary>
    /// Creates a client transaction for <paramref name="request"/> sent on <paramref name="flow"/>,
    /// not started yet: subscribe to its events, then call <see cref="ClientTransaction.Start"/>.
    /// The top Via gets a fresh RFC 3261 branch unless it has one; a request without Via gets one
    /// built from the flow (with rport, RFC 3581). INVITE gives an <see cref="InviteClientTransaction"/>,
    /// other methods a <see cref="NonInviteClientTransaction"/>; ACK is refused (use <see cref="SendAckAsync"/>).
    /// </summary>
    public ClientTransaction CreateClientTransaction(SipRequest request, SipFlow flow)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Method == SipMethods.Ack)
        {
            throw new ArgumentException("ACK is not sent in a client transaction; use SendAckAsync.", nameof(request));
        }

        string branch = EnsureBranch(request, flow, forceNew: false);
        var key = TransactionMatcher.ClientKey(branch, request.Method);
        return request.Method == SipMethods.Invite
            ? new InviteClientTransaction(this, key, request, flow)
            : new NonInviteClientTransaction(this, key, request, flow);
    }

    /// <summary>
    /// Creates and starts a client transaction; <paramref name="onProvisional"/> (optional) gets
    /// each 1xx on the transport thread. Await <see cref="ClientTransaction.FinalResponse"/> on the result.
    /// </summary>
    public ClientTransaction SendRequest(SipRequest request, SipFlow flow, Action<SipResponse>? onProvisional = null)
    {
        ClientTransaction transaction = CreateClientTransaction(request, flow);
        if (onProvisional is not null)
        {
            transaction.ProvisionalReceived += (_, r) => onProvisional(r);
        }

        transaction.Start();
        return transaction;
    }

    /// <summary>
    /// Sends the ACK for a 2xx (RFC 3261 §13.2.2.4): it is its own transaction with a new branch
    /// (§17.1.1.3) and is sent straight to the transport, without a client transaction. The task
    /// faults with the transport's exception when it cannot be sent.
    /// </summary>
    public async Task SendAckAsync(SipRequest ack, SipFlow flow)
    {
        ArgumentNullException.ThrowIfNull(ack);
        EnsureBranch(ack, flow, forceNew: true);
        await Transport.SendAsync(ack, flow).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends an ACK sent before by <see cref="SendAckAsync"/> again, unchanged (its branch kept),
    /// for a retransmission of the 2xx it acknowledged (RFC 3261 §13.2.2.4): the UAS sees the
    /// same ACK again and can absorb it as such. The task faults with the transport's exception.
    /// </summary>
    public async Task ResendAckAsync(SipRequest ack, SipFlow flow)
    {
        ArgumentNullException.ThrowIfNull(ack);
        if (ack.Method != SipMethods.Ack || ack.TopVia is not { HasRfc3261Branch: true })
        {
            throw new ArgumentException("Only an ACK already sent (with its branch) is resent.", nameof(ack));
        }

        await Transport.SendAsync(ack, flow).ConfigureAwait(false);
    }

    internal void Register(SipTransaction transaction)
    {
        if (!_table.TryAdd(transaction.Key, transaction))
        {
            throw new InvalidOperationException($"A transaction with branch {transaction.Branch} and method {transaction.Method} already exists.");
        }
    }

    internal void Remove(ITransactionEntry entry) =>
        _table.TryRemove(new KeyValuePair<TransactionKey, ITransactionEntry>(entry.Key, entry));

    /// <summary>Files <paramref name="parked"/> in place of <paramref name="transaction"/> for its terminal wait; false when the transaction had already left the table.</summary>
    internal bool Park(SipTransaction transaction, ParkedTransaction parked) =>
        _table.TryUpdate(transaction.Key, parked, transaction);

    /// <summary>Runs TU code, reporting its exceptions through <see cref="CallbackFailed"/>.</summary>
    internal void InvokeUser(Action action)
    {
        try
        {
            action();
        }
        catch (Exception ex)
        {
            CallbackFailed?.Invoke(ex);
        }
    }

    private void OnResponse(SipResponse response, SipFlow flow)
    {
        if (TransactionMatcher.TryGetClientKey(response, out var key) && _table.TryGetValue(key, out var found))
        {
            if (found is ClientTransaction client)
            {
                client.OnResponse(response);
                return;
            }

            if (found is ParkedInviteClientTransaction parked)
            {
                parked.OnResponse(response);
                return;
            }
        }

        InvokeUser(() => User.OnStrayResponse(response, flow));
    }

    private void OnRequest(SipRequest request, SipFlow flow)
    {
        var cseq = request.CSeq;
        if (cseq is null || cseq.Value.Method != request.Method ||
            !TransactionMatcher.TryGetServerKey(request, out var key))
        {
            return;
        }

        if (request.Method == SipMethods.Ack)
        {
            _table.TryGetValue(key, out var found);
            if (found is InviteServerTransaction invite)
            {
                invite.OnAck(request);
            }
            else if (found is ParkedServerTransaction parked)
            {
                parked.OnAck(request);
            }
            else
            {
                InvokeUser(() => User.OnAck(request, flow));
            }

            return;
        }

        if (_table.TryGetValue(key, out var existing))
        {
            OnRetransmission(existing, request);
            return;
        }

        ServerTransaction transaction = request.Method == SipMethods.Invite
            ? new InviteServerTransaction(this, key, request, flow)
            : new NonInviteServerTransaction(this, key, request, flow);
        if (!_table.TryAdd(key, transaction))
        {
            // Another transport thread created it first: this copy is a retransmission.
            if (_table.TryGetValue(key, out var winner))
            {
                OnRetransmission(winner, request);
            }

            return;
        }

        transaction.Start();
        if (request.Method == SipMethods.Cancel)
        {
            OnCancel(request, transaction);
            return;
        }

        InvokeUser(() => User.OnRequest(transaction));
    }

    private static void OnRetransmission(ITransactionEntry entry, SipRequest request)
    {
        if (entry is ServerTransaction server)
        {
            server.OnRequestRetransmission(request);
        }
        else if (entry is ParkedServerTransaction parked)
        {
            parked.OnRequestRetransmission();
        }
    }

    /// <summary>RFC 3261 §9.2: the UAS side of CANCEL, answered by the layer itself.</summary>
    private void OnCancel(SipRequest cancel, ServerTransaction cancelTransaction)
    {
        ITransactionEntry? found = null;
        if (TransactionMatcher.TryGetServerKey(cancel, out var inviteKey, SipMethods.Invite))
        {
            _table.TryGetValue(inviteKey, out found);
        }

        if (found is ParkedServerTransaction { InviteLocalTag: { } parkedTag })
        {
            // The INVITE has had its final response: the CANCEL has no effect but is answered (§9.2).
            Observe(cancelTransaction.SendResponseAsync(SipResponseFactory.CreateResponse(cancel, 200, null, parkedTag)));
            return;
        }

        if (found is not InviteServerTransaction invite)
        {
            Observe(cancelTransaction.SendResponseAsync(cancelTransaction.CreateResponse(481)));
            return;
        }

        // §9.2: the To tag of the 200 to CANCEL should equal the one of the INVITE's responses.
        var ok = SipResponseFactory.CreateResponse(cancel, 200, null, invite.LocalTag);
        Observe(cancelTransaction.SendResponseAsync(ok));
        if (invite.TryMarkCancelled())
        {
            InvokeUser(() => User.OnCancel(invite, cancel));
        }
    }

    /// <summary>Sets the top Via branch (adding a Via from the flow when there is none); returns it.</summary>
    private static string EnsureBranch(SipRequest request, SipFlow flow, bool forceNew)
    {
        var via = request.TopVia;
        if (via is not null && via.HasRfc3261Branch && !forceNew)
        {
            return via.Branch!;
        }

        string branch = SipIdentifiers.NewBranch();
        if (via is null)
        {
            var address = flow.Local.Address;
            string host = address.AddressFamily == AddressFamily.InterNetworkV6 ? "[" + address + "]" : address.ToString();
            via = new ViaHeader(flow.Protocol.ToString(), host, flow.Local.Port, branch);
            via.Parameters.Set("rport", null);
        }
        else
        {
            via.Parameters.Set("branch", branch);
            request.Headers.RemoveFirstValue(HeaderId.Via);
        }

        request.Headers.AddFirst(HeaderId.Via, via.ToString());
        request.InvalidateCaches();
        return branch;
    }

    private static void Observe(Task task) =>
        _ = task.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
}
