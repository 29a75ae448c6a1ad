using CallSwitch.Sip.Auth;
using CallSwitch.Sip.Dialogs;
using CallSwitch.Sip.Messages;
using CallSwitch.Sip.Transactions;
using CallSwitch.Sip.Transport;
using Serilog;

namespace CallSwitch.Calls.Sessions;

/// <summary>
/// The callee leg's INVITE: sends it, lets provisionals and a CANCEL in while the callee rings,
/// answers one 401/407 of the trunk with its credentials (RFC 3261 §22.2), and returns the final
/// answer or why there is none; once answered, every further 2xx gets its ACK
/// (<see cref="SuccessAcknowledger"/>).
/// </summary>
/// <remarks>Called under the call's signalling lock, which it gives up while the callee rings.</remarks>
internal sealed class CalleeDialler
{
    private readonly CallContext _context;
    private readonly CallSignalling _signalling;
    private readonly CallPlan _plan;
    private readonly CallLegs _legs;
    private readonly ILogger _log;
    private InviteClientTransaction? _pending;
    private SuccessAcknowledger? _acknowledger;

    public CalleeDialler(CallContext context, CallSignalling signalling, CallPlan plan, CallLegs legs, ILogger log)
    {
        _context = context;
        _signalling = signalling;
        _plan = plan;
        _legs = legs;
        _log = log;
    }

    /// <summary>The INVITE transaction in progress (or last), for a CANCEL.</summary>
    public InviteClientTransaction? Pending => _pending;

    /// <summary>
    /// The callee answered <paramref name="invite"/> with <paramref name="ok"/>: the leg takes the
    /// dialog the answer established, already ACKed on its arrival (RFC 3261 §13.2.2.4).
    /// </summary>
    public void Confirm(SipRequest invite, SipResponse ok)
    {
        CallLeg callee = _legs.Callee;
        // Null only when the answer could not make a dialog: building it again says why.
        Dialog dialog = _acknowledger?.TakeDialog() ?? Dialog.CreateAsUac(invite, ok, callee.Flow);
        dialog.LocalContact ??= callee.Contact;
        callee.Dialog = dialog;
    }

    /// <summary>
    /// Sends <paramref name="first"/> and waits for its final answer (after one challenge at most).
    /// </summary>
    /// <param name="first">The INVITE (see <see cref="CalleeInvites.Build"/>).</param>
    /// <param name="sent">Each INVITE's Call-ID as it goes, so that the call is found by it.</param>
    /// <param name="provisional">Each provisional response (on a transport thread, outside the lock).</param>
    /// <param name="cancelled">Whether the caller has cancelled (no challenge is answered then).</param>
    public async Task<CalleeAnswer> DialAsync(SipRequest first, Action<string> sent, Action<SipResponse> provisional, Func<bool> cancelled)
    {
        SipRequest request = first;
        bool retriedAuth = false;
        while (true)
        {
            _legs.CalleeCallId = request.CallId;
            sent(request.CallId!);
            var transaction = (InviteClientTransaction)_context.Transactions.CreateClientTransaction(request, _legs.Callee.Flow);
            _pending = transaction;
            transaction.ProvisionalReceived += (_, response) => provisional(response);
            _acknowledger = SuccessAcknowledger.ForNewDialog(_context.Transactions, _log, request, _legs.Callee.Flow, _legs.Callee.Contact);
            _acknowledger.Attach(transaction);
            transaction.Start();

            SipResponse? final = null;
            Exception? failure = null;
            await _signalling.ReleasedWhileAsync(async () =>
            {
                try
                {
                    final = await transaction.FinalResponse.ConfigureAwait(false);
                }
                catch (Exception e) when (e is SipTransactionTimeoutException or SipTransportException)
                {
                    failure = e;
                }
            }).ConfigureAwait(false);

            if (final is null)
            {
                return new CalleeAnswer(request, null, failure);
            }

            if (final.StatusCode is 401 or 407 && _plan.TrunkCredentials is { } credentials && !retriedAuth && !cancelled())
            {
                HeaderId challengeHeader = final.StatusCode == 401 ? HeaderId.WwwAuthenticate : HeaderId.ProxyAuthenticate;
                DigestClientResult auth = credentials.Answer(final.Headers.GetValues(challengeHeader), SipMethods.Invite, request.RequestUri, request.Body.Span);
                if (auth.IsAnswered)
                {
                    retriedAuth = true;
                    request = CalleeInvites.WithCredentials(request, final.StatusCode == 401 ? HeaderId.Authorization : HeaderId.ProxyAuthorization, auth.HeaderValue!);
                    _log.Debug("Answering the trunk's {Status} challenge", final.StatusCode);
                    continue;
                }
            }

            return new CalleeAnswer(request, final, null);
        }
    }
}
