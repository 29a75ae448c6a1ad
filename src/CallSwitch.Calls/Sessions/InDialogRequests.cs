using CallSwitch.Calls.Media;
using CallSwitch.Sip.Dialogs;
using CallSwitch.Sip.Dtmf;
using CallSwitch.Sip.Messages;
using CallSwitch.Sip.Sdp;
using CallSwitch.Sip.Transactions;
using CallSwitch.Sip.Transport;
using Serilog;

namespace CallSwitch.Calls.Sessions;

/// <summary>
/// Requests inside one of a call's dialogs (RFC 3261 §12.2.2): BYE ends the call, a re-INVITE
/// or UPDATE with SDP is answered and a hold or resume propagated to the other leg by our own
/// re-INVITE, a SIP INFO key press goes to the call's media, anything else gets 200.
/// </summary>
/// <remarks>Called under the call's signalling lock, which our re-INVITE gives up while it waits.</remarks>
internal sealed class InDialogRequests
{
    private readonly CallContext _context;
    private readonly CallSignalling _signalling;
    private readonly CallSender _send;
    private readonly CallLegs _legs;
    private readonly CallMedia _media;
    private readonly ILogger _log;
    private readonly Func<CallLeg, Task> _hungUp;
    private readonly Action _holdChanged;

    /// <summary>Handles the requests of <paramref name="legs"/>; <paramref name="hungUp"/> when a party sent BYE (already answered), <paramref name="holdChanged"/> when a leg went on or off hold.</summary>
    public InDialogRequests(CallContext context, CallSignalling signalling, CallSender send, CallLegs legs, CallMedia media, ILogger log, Func<CallLeg, Task> hungUp, Action holdChanged)
    {
        _context = context;
        _signalling = signalling;
        _send = send;
        _legs = legs;
        _media = media;
        _log = log;
        _hungUp = hungUp;
        _holdChanged = holdChanged;
    }

    public async Task HandleAsync(ServerTransaction transaction)
    {
        SipRequest request = transaction.Request;
        CallLeg? leg = _legs.LegOf(request);
        if (leg is null || !await _send.AcceptInDialogAsync(transaction, leg.Dialog).ConfigureAwait(false))
        {
            return;
        }

        switch (request.Method)
        {
            case SipMethods.Bye:
                await _send.RespondAsync(transaction, 200).ConfigureAwait(false);
                _log.Debug("{Party} hung up", leg.Party); // the "Call ended" line says who, at Information
                await _hungUp(leg).ConfigureAwait(false);
                break;
            case SipMethods.Invite or SipMethods.Update when !request.Body.IsEmpty:
                await HandleReofferAsync(transaction, leg).ConfigureAwait(false);
                break;
            case SipMethods.Info when DtmfInfoBody.TryParse(request.ContentType, request.Body.Span, out char key):
                // Softphones set to "SIP INFO" DTMF: the key drives the recording keypad like an
                // RFC 4733 event does. INFO is not forwarded, so nothing reaches the other party.
                await _send.RespondAsync(transaction, 200).ConfigureAwait(false);
                _media.OnSignalledDigit(leg.Party, key);
                break;
            default:
                // OPTIONS keep-alives, other INFO, SDP-less UPDATE (session refresh): nothing to change.
                await _send.RespondAsync(transaction, 200).ConfigureAwait(false);
                break;
        }
    }

    private async Task HandleReofferAsync(ServerTransaction transaction, CallLeg leg)
    {
        if (!SessionDescription.TryParse(transaction.Request.Body.Span, out var offer, out _))
        {
            await _send.RespondAsync(transaction, 400, "Malformed SDP").ConfigureAwait(false);
            return;
        }

        SdpAnswerResult answer = leg.Negotiator.CreateAnswer(offer!);
        if (!answer.IsAcceptable)
        {
            await _send.RespondAsync(transaction, 488).ConfigureAwait(false);
            return;
        }

        bool wasHeld = leg.IsOnHold;
        leg.PeerDirection = answer.Audio!.RemoteOnHold ? SdpMediaDirection.SendOnly : answer.Audio.RemoteDirection;
        _media.Configure(leg.Party, answer.Audio);
        SipResponse ok = transaction.CreateResponse(200);
        ok.Headers.Add(HeaderId.Contact, leg.Contact);
        CallSender.AddSdp(ok, answer.Answer);
        await _send.RespondAsync(transaction, ok).ConfigureAwait(false);

        if (wasHeld != leg.IsOnHold)
        {
            _log.Information("{Party} {Action} the call", leg.Party, leg.IsOnHold ? "put on hold" : "resumed");
            _holdChanged();
            await ReofferAsync(_legs.Other(leg), leg.IsOnHold ? SdpMediaDirection.SendOnly : SdpMediaDirection.SendReceive).ConfigureAwait(false);
        }
    }

    /// <summary>Sends a re-INVITE on <paramref name="leg"/> with our offer in <paramref name="direction"/> (hold propagation).</summary>
    private async Task ReofferAsync(CallLeg leg, SdpMediaDirection direction)
    {
        if (leg.Dialog is not { } dialog)
        {
            return;
        }

        SipRequest reinvite = dialog.CreateRequest(SipMethods.Invite);
        reinvite.Headers.Add(HeaderId.MaxForwards, "70");
        CallSender.AddSdp(reinvite, leg.Negotiator.CreateOffer(direction));
        var transaction = (InviteClientTransaction)_context.Transactions.CreateClientTransaction(reinvite, leg.Flow);
        // The answer is ACKed on arrival (the dialog's target refreshed first), not under the lock.
        SuccessAcknowledger.ForDialog(_context.Transactions, _log, dialog, reinvite, leg.Flow).Attach(transaction);
        transaction.Start();
        SipResponse? final = null;
        await _signalling.ReleasedWhileAsync(async () =>
        {
            try
            {
                final = await transaction.FinalResponse.ConfigureAwait(false);
            }
            catch (Exception e) when (e is SipTransactionTimeoutException or SipTransportException)
            {
                _log.Warning("re-INVITE to the {Party} failed: {Error}", leg.Party, e.Message);
            }
        }).ConfigureAwait(false);

        if (final is null)
        {
            return;
        }

        if (!final.IsSuccess)
        {
            dialog.ProcessResponse(reinvite, final); // a 481 or 408 ends the dialog
        }
        else if (SessionDescription.TryParse(final.Body.Span, out var sdp, out _) && leg.Negotiator.TryProcessAnswer(sdp!, out var audio, out _))
        {
            _media.Configure(leg.Party, audio!);
        }
    }
}
