using CallSwitch.Sip.Dialogs;
using CallSwitch.Sip.Messages;
using CallSwitch.Sip.Transactions;
using CallSwitch.Sip.Transport;
using Serilog;

namespace CallSwitch.Calls.Sessions;

/// <summary>
/// ACKs every 2xx an INVITE of ours gets (the callee's INVITE, a re-INVITE): RFC 3261 §13.2.2.4,
/// the UAC core ACKs each 2xx it receives; RFC 6026 §7.2, they reach it through the transaction's
/// Accepted state, for 64·T1. The first answer is ACKed the moment it arrives, on the transport
/// thread (<see cref="InviteClientTransaction.Answered"/>): the callee's establishes the dialog,
/// a re-INVITE's refreshes its target (§12.2.1.2), and neither waits for the call's signalling
/// lock nor a thread-pool continuation (on a loaded machine that took over 500 ms, the answerer
/// resent its 200 and got the call's BYE before its ACK). A retransmission of the answer means
/// our ACK was lost or late (the answerer resends its 200 until an ACK arrives, and a carrier
/// ends a call whose ACK never came): it gets the ACK again. A 2xx of another fork (another To
/// tag) is ACKed and ended with a BYE: the call keeps the first answer.
/// </summary>
/// <remarks>
/// After the first answer it holds nothing of the call (the transaction keeps its handler for
/// 64·T1 after the answer, long after a short call ended): the answer's To tag, our Contact, its
/// ACK, the flow, the layer and the log only. Called on a transport thread; <see cref="TakeDialog"/>
/// on the call's.
/// </remarks>
internal sealed class SuccessAcknowledger
{
    private readonly SipTransactionLayer _transactions;
    private readonly ILogger _log;
    private readonly SipFlow _flow;
    private SipRequest? _invite;
    private Dialog? _dialog;
    private string? _localContact;
    private Dialog? _established;
    private Confirmed? _confirmed;

    private SuccessAcknowledger(SipTransactionLayer transactions, ILogger log, SipRequest invite, SipFlow flow, Dialog? dialog, string? localContact)
    {
        _transactions = transactions;
        _log = log;
        _invite = invite;
        _flow = flow;
        _dialog = dialog;
        _localContact = localContact;
    }

    /// <summary>For the INVITE that makes a dialog: its first 2xx establishes it, with <paramref name="localContact"/> as ours.</summary>
    public static SuccessAcknowledger ForNewDialog(SipTransactionLayer transactions, ILogger log, SipRequest invite, SipFlow flow, string? localContact) =>
        new(transactions, log, invite, flow, null, localContact);

    /// <summary>For a re-INVITE in <paramref name="dialog"/>: its first 2xx refreshes the dialog's target.</summary>
    public static SuccessAcknowledger ForDialog(SipTransactionLayer transactions, ILogger log, Dialog dialog, SipRequest reinvite, SipFlow flow) =>
        new(transactions, log, reinvite, flow, dialog, localContact: null);

    /// <summary>Subscribes to <paramref name="transaction"/>'s answers (before it starts).</summary>
    public void Attach(InviteClientTransaction transaction)
    {
        transaction.Answered += OnAnswered;
        transaction.AdditionalSuccessResponse += OnAdditionalSuccess;
    }

    /// <summary>
    /// The dialog the first answer established, once (null before the answer, for a re-INVITE, or
    /// when the answer could not make one: the call then builds it itself and fails the same way).
    /// </summary>
    public Dialog? TakeDialog() => Interlocked.Exchange(ref _established, null);

    /// <summary>The handler of <see cref="InviteClientTransaction.Answered"/>.</summary>
    public void OnAnswered(SipResponse answer)
    {
        SipRequest invite = _invite!;
        Dialog dialog;
        Dialog? existing = _dialog;
        if (existing is not null)
        {
            existing.ProcessResponse(invite, answer);
            dialog = existing;
        }
        else
        {
            try
            {
                dialog = Dialog.CreateAsUac(invite, answer, _flow);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException)
            {
                _log.Information("The answer cannot make a dialog ({Error}): not ACKed", e.Message);
                return;
            }

            dialog.LocalContact = _localContact;
        }

        SipRequest ack = dialog.CreateAck(invite);
        Volatile.Write(ref _confirmed, new Confirmed(dialog.Id.RemoteTag, dialog.LocalContact, _flow, ack));
        _invite = null;
        _dialog = null;
        _localContact = null;
        if (existing is null)
        {
            // Before the send: the call takes this dialog even if sending throws.
            Volatile.Write(ref _established, dialog);
        }

        Observe(_transactions.SendAckAsync(ack, _flow));
    }

    /// <summary>The handler of <see cref="InviteClientTransaction.AdditionalSuccessResponse"/>.</summary>
    public void OnAdditionalSuccess(SipResponse response)
    {
        if (Volatile.Read(ref _confirmed) is not { } confirmed)
        {
            // The first answer made no dialog: nothing to ACK this one in.
            return;
        }

        if (response.To?.Tag is { } tag && tag != confirmed.RemoteTag)
        {
            EndFork(response, confirmed);
            return;
        }

        _log.Debug("The answer was resent ({Status}): ACK sent again", response.StatusCode);
        Observe(_transactions.ResendAckAsync(confirmed.Ack, confirmed.Flow));
    }

    private void EndFork(SipResponse response, Confirmed confirmed)
    {
        // Our ACK stands in for the INVITE (which the transaction no longer keeps): the same
        // Call-ID, From tag, CSeq number, To URI and credentials, and our Route set.
        SipRequest invite = confirmed.Ack;
        _log.Information("A second answer from another branch (fork): ACKed and ended with a BYE");
        Dialog fork;
        try
        {
            fork = Dialog.CreateAsUac(invite, response, confirmed.Flow);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException)
        {
            _log.Information("The second answer cannot make a dialog ({Error}): ignored", e.Message);
            return;
        }

        fork.LocalContact = confirmed.LocalContact;
        Observe(_transactions.SendAckAsync(fork.CreateAck(invite), confirmed.Flow));
        ClientTransaction bye = _transactions.SendRequest(fork.CreateRequest(SipMethods.Bye), confirmed.Flow);
        _ = bye.FinalResponse.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
    }

    private void Observe(Task send) =>
        _ = send.ContinueWith(
            static (t, log) => ((ILogger)log!).Information("Could not send an ACK: {Error}", t.Exception!.InnerException!.Message),
            _log, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);

    /// <summary>What a further 2xx needs of the answer: not the dialog itself, which the call may drop long before the transaction.</summary>
    private sealed record Confirmed(string RemoteTag, string? LocalContact, SipFlow Flow, SipRequest Ack);
}
