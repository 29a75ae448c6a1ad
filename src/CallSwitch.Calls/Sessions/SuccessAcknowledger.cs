using CallSwitch.Sip.Dialogs;
using CallSwitch.Sip.Messages;
using CallSwitch.Sip.Transactions;
using CallSwitch.Sip.Transport;
using Serilog;

namespace CallSwitch.Calls.Sessions;

/// <summary>
/// ACKs every further 2xx an INVITE of ours gets once it was answered (the callee's INVITE, a
/// re-INVITE): RFC 3261 §13.2.2.4, the UAC core ACKs each 2xx it receives; RFC 6026 §7.2, they
/// reach it through the transaction's Accepted state, for 64·T1. A retransmission of the answer
/// means our ACK was lost or late (the answerer resends its 200 until an ACK arrives, and a
/// carrier ends a call whose ACK never came): it gets the ACK again. A 2xx of another fork
/// (another To tag) is ACKed and ended with a BYE: the call keeps the first answer.
/// </summary>
/// <remarks>
/// Holds nothing of the call (the transaction keeps its handler for 64·T1 after the answer,
/// long after a short call ended): the answer's To tag, our Contact, its ACK, the flow, the layer
/// and the log only. Called on a
/// transport thread; <see cref="Confirm"/> on the call's.
/// </remarks>
internal sealed class SuccessAcknowledger
{
    private readonly SipTransactionLayer _transactions;
    private readonly ILogger _log;
    private Confirmed? _confirmed;

    public SuccessAcknowledger(SipTransactionLayer transactions, ILogger log)
    {
        _transactions = transactions;
        _log = log;
    }

    /// <summary>The answer established <paramref name="dialog"/> on <paramref name="flow"/> and was acknowledged with <paramref name="ack"/>.</summary>
    public void Confirm(Dialog dialog, SipFlow flow, SipRequest ack) =>
        Volatile.Write(ref _confirmed, new Confirmed(dialog.Id.RemoteTag, dialog.LocalContact, flow, ack));

    /// <summary>The handler of <see cref="InviteClientTransaction.AdditionalSuccessResponse"/>.</summary>
    public void OnAdditionalSuccess(SipResponse response)
    {
        if (Volatile.Read(ref _confirmed) is not { } confirmed)
        {
            // The first answer's ACK is still on its way: it answers this one too.
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
