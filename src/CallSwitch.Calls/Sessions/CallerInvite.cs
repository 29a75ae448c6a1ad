using CallSwitch.Calls.Media;
using CallSwitch.Media.Relay;
using CallSwitch.Sip.Dialogs;
using CallSwitch.Sip.Messages;
using CallSwitch.Sip.Transactions;
using CallSwitch.Sip.Transport;
using Serilog;

namespace CallSwitch.Calls.Sessions;

/// <summary>
/// The caller's INVITE as we answer it (the UAS side of the call): the callee's provisionals
/// relayed, one final response at most, and our 2xx resent until its ACK.
/// </summary>
/// <remarks>Called under the call's signalling lock, but <see cref="OnAck"/> (any transport thread).</remarks>
internal sealed class CallerInvite : IDisposable
{
    private readonly InviteServerTransaction _transaction;
    private readonly CallContext _context;
    private readonly CallSender _send;
    private readonly AnswerRetransmission _retransmission = new();
    private SipResponse? _final;

    public CallerInvite(InviteServerTransaction transaction, CallContext context, CallSender send)
    {
        _transaction = transaction;
        _context = context;
        _send = send;
    }

    public SipRequest Request => _transaction.Request;

    public SipFlow Flow => _transaction.Flow;

    /// <summary>Whether a final response (2xx or failure) has been sent.</summary>
    public bool HasFinal => _final is not null;

    /// <summary>
    /// Relays the callee's provisional (status and reason) with our Contact; with an SDP answer
    /// (early media: ringback, the carrier's announcements) the callee's audio is let through and
    /// our answer goes to the caller.
    /// </summary>
    public Task RelayProvisionalAsync(SipResponse fromCallee, CallLegs legs, CallMedia media)
    {
        SipResponse provisional = _transaction.CreateResponse(fromCallee.StatusCode, fromCallee.ReasonPhrase);
        provisional.Headers.Add(HeaderId.Contact, legs.Caller.Contact);
        if (fromCallee.ContentType == "application/sdp" && !fromCallee.Body.IsEmpty && legs.Callee.TryTakeAnswer(fromCallee, media))
        {
            media.Session.SetForwarding(legs.Callee.Party == CallParty.Agent ? RelayLegId.A : RelayLegId.B, true);
            CallSender.AddSdp(provisional, legs.Caller.Negotiator.LastLocalDescription!);
        }

        return _send.RespondAsync(_transaction, provisional);
    }

    /// <summary>
    /// Answers 200 with our SDP: the caller leg's dialog is established (RFC 3261 §12.1.1) and the
    /// 2xx resent until its ACK; <paramref name="noAck"/> when none came in time.
    /// </summary>
    public async Task AnswerAsync(CallLeg caller, Action noAck)
    {
        SipResponse answer = _transaction.CreateResponse(200);
        answer.Headers.Add(HeaderId.Contact, caller.Contact);
        answer.Headers.Add(HeaderId.Allow, Core.SwitchCore.AllowedMethods);
        CallSender.AddSdp(answer, caller.Negotiator.LastLocalDescription!);
        caller.Dialog = Dialog.CreateAsUas(_transaction.Request, answer, caller.Flow);
        caller.Dialog.LocalContact = caller.Contact;
        _final = answer;
        await _send.RespondAsync(_transaction, answer).ConfigureAwait(false);
        _retransmission.Start(_context, _send, answer, caller.Flow, noAck);
    }

    /// <summary>Sends a final failure unless a final response was already sent.</summary>
    public async Task RefuseAsync(int status, string? reason = null)
    {
        if (_final is null)
        {
            _final = _transaction.CreateResponse(status, reason);
            await _send.RespondAsync(_transaction, _final).ConfigureAwait(false);
        }
    }

    /// <summary>The caller's ACK for our 2xx came.</summary>
    public void OnAck() => _retransmission.OnAck();

    public void Dispose() => _retransmission.Dispose();
}
