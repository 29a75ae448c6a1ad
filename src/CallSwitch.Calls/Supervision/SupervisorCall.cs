using CallSwitch.Calls.Media;
using CallSwitch.Calls.Sessions;
using CallSwitch.Media.Codecs;
using CallSwitch.Media.Dtmf;
using CallSwitch.Media.Mixing;
using CallSwitch.Media.Relay;
using CallSwitch.Sip.Dtmf;
using CallSwitch.Sip.Messages;
using CallSwitch.Sip.Sdp;
using CallSwitch.Sip.Transactions;
using Serilog;

namespace CallSwitch.Calls.Supervision;

/// <summary>
/// One supervisor's SIP call, answered by the switch: an RTP end point on the relay seated in
/// the agent's call's mixer, keys (RFC 4733 on the end point, or SIP INFO) that switch mode,
/// BYE either way (the supervisor hangs up: the call goes on; the call ends: we send the BYE).
/// </summary>
/// <remarks>Signalling on transport and thread-pool threads; key presses arrive on a relay thread and are handed to the thread pool.</remarks>
internal sealed class SupervisorCall : ITelephoneEventObserver
{
    private readonly SupervisorCalls _owner;
    private readonly string _callId;
    private readonly ILogger _log;
    private readonly CallSender _send;
    private readonly CallerInvite _invite;
    private readonly RelayEndpoint _endpoint;
    private readonly CallLeg _leg;
    private readonly DtmfEventDetector _keys = new();
    private SupervisionSession _session = null!;
    private int _ended;

    private SupervisorCall(SupervisorCalls owner, InviteServerTransaction transaction, RelayEndpoint endpoint, SdpAudioNegotiator negotiator, CallSender send, ILogger log)
    {
        _owner = owner;
        _callId = transaction.Request.CallId!;
        _log = log;
        _send = send;
        _endpoint = endpoint;
        _invite = new CallerInvite(transaction, owner.Context, send);

        // CallLeg's party only matters to a B2BUA leg's media; this leg's media is the end point.
        _leg = new CallLeg(CallParty.Agent, transaction.Flow, negotiator, CallLeg.ContactFor(owner.Context, transaction.Flow));
    }

    public static async Task StartAsync(SupervisorCalls owner, InviteServerTransaction transaction, string supervisor, SupervisionMode mode, string agent)
    {
        SipRequest invite = transaction.Request;
        ILogger log = owner.Context.Log.ForContext("CallId", invite.CallId).ForContext("Supervisor", supervisor);
        var send = new CallSender(owner.Context, log);
        try
        {
            if (invite.Body.IsEmpty || invite.ContentType != "application/sdp" || !SessionDescription.TryParse(invite.Body.Span, out var offer, out _))
            {
                await send.RespondAsync(transaction, 488, "SDP Offer Required").ConfigureAwait(false);
                return;
            }

            RelayEndpoint endpoint;
            try
            {
                endpoint = owner.Context.Relay.CreateEndpoint(owner.Context.MediaAddress);
            }
            catch (PortRangeExhaustedException)
            {
                log.Warning("No media ports left for a supervisor");
                await send.RespondAsync(transaction, 503, "No Media Ports Left").ConfigureAwait(false);
                return;
            }

            SdpAudioNegotiator negotiator = CallLeg.NegotiatorFor(owner.Context, endpoint.LocalRtpEndPoint.Port, CallLeg.Served);
            SdpAnswerResult answer = negotiator.CreateAnswer(offer!);
            if (!answer.IsAcceptable || !CodecRegistry.Default.TryGet(answer.Audio!.Codec.EncodingName, answer.Audio.Codec.ClockRate, out AudioCodecInfo? codec))
            {
                endpoint.Dispose();
                await send.RespondAsync(transaction, 488).ConfigureAwait(false);
                return;
            }

            Configure(endpoint, answer.Audio);
            var call = new SupervisorCall(owner, transaction, endpoint, negotiator, send, log);
            SupervisionJoin join = owner.Control.JoinSupervisor(new SupervisorRequest(supervisor, agent, mode, new MixFormat(codec, answer.Audio.Codec.PayloadType), endpoint));
            if (join.Session is not { } session)
            {
                endpoint.Dispose();
                call._invite.Dispose();
                log.Information("Supervision of agent {Agent} ({Mode}) refused: {Outcome}: {Detail}", agent, mode, join.Outcome, join.Detail);
                (int status, string reason) = join.Outcome switch
                {
                    SupervisionJoinOutcome.Refused => (403, "Forbidden"),
                    SupervisionJoinOutcome.AgentNotInCall => (404, "Agent Not In Call"),
                    _ => (480, "Call Cannot Be Supervised"),
                };
                await send.RespondAsync(transaction, status, reason).ConfigureAwait(false);
                return;
            }

            call._session = session;
            owner.Add(call._callId, call);
            session.CallEnded += ended => _ = call.EndAsync(sendBye: true);
            endpoint.SetTelephoneEventObserver(call);
            log.Information("Supervisor {Supervisor} joined call {Call} of agent {Agent} ({Mode})", supervisor, session.CallId, agent, mode);
            await call._invite.AnswerAsync(call._leg, () => _ = call.EndAsync(sendBye: true)).ConfigureAwait(false);
            if (session.HasEnded)
            {
                // The call ended while we answered: the supervisor is told at once.
                await call.EndAsync(sendBye: true).ConfigureAwait(false);
            }
        }
        catch (Exception e)
        {
            // A bug costs this supervisor's call, never the transport thread.
            log.Error(e, "Supervisor call failed");
            await send.QuietlyAsync(() => send.RespondAsync(transaction, 500, "Server Internal Error")).ConfigureAwait(false);
        }
    }

    public async Task HandleAsync(ServerTransaction transaction)
    {
        SipRequest request = transaction.Request;
        if (!await _send.AcceptInDialogAsync(transaction, Volatile.Read(ref _ended) == 0 ? _leg.Dialog : null).ConfigureAwait(false))
        {
            return;
        }

        switch (request.Method)
        {
            case SipMethods.Bye:
                await _send.RespondAsync(transaction, 200).ConfigureAwait(false);
                _log.Information("Supervisor hung up");
                await EndAsync(sendBye: false).ConfigureAwait(false);
                break;
            case SipMethods.Info when DtmfInfoBody.TryParse(request.ContentType, request.Body.Span, out char key):
                await _send.RespondAsync(transaction, 200).ConfigureAwait(false);
                OnKey(key);
                break;
            case SipMethods.Invite or SipMethods.Update when !request.Body.IsEmpty:
                await ReofferAsync(transaction).ConfigureAwait(false);
                break;
            default:
                await _send.RespondAsync(transaction, 200).ConfigureAwait(false);
                break;
        }
    }

    public void OnAck() => _invite.OnAck();

    bool ITelephoneEventObserver.OnTelephoneEvent(RelayLegId leg, uint rtpTimestamp, ReadOnlySpan<byte> payload)
    {
        if (_keys.TryDetect(rtpTimestamp, payload, out DtmfDigit digit))
        {
            // Not on the relay's thread: a mode switch takes locks and writes the audit.
            ThreadPool.QueueUserWorkItem(static state => state.Call.OnKey(state.Key), (Call: this, Key: digit.Digit), preferLocal: false);
        }

        return true;
    }

    private static void Configure(RelayEndpoint endpoint, NegotiatedAudioStream audio) =>
        endpoint.Configure(new RelayLegSettings
        {
            RemoteRtp = audio.RemoteOnHold ? null : audio.RemoteRtpEndPoint,
            AudioPayloadType = audio.Codec.PayloadType,
            ClockRate = audio.Codec.ClockRate,
            TelephoneEventPayloadType = audio.TelephoneEventPayloadType ?? -1,
        });

    private void OnKey(char key)
    {
        if (_owner.Codes.ModeForKey(key) is not { } mode || _session.HasEnded)
        {
            return;
        }

        bool switched = _session.SwitchMode(mode);
        _log.Information("Supervisor key {Key}: {Mode} {Outcome}", key, mode, switched ? "on" : "refused");
    }

    private async Task ReofferAsync(ServerTransaction transaction)
    {
        if (!SessionDescription.TryParse(transaction.Request.Body.Span, out var offer, out _))
        {
            await _send.RespondAsync(transaction, 400, "Malformed SDP").ConfigureAwait(false);
            return;
        }

        SdpAnswerResult answer = _leg.Negotiator.CreateAnswer(offer!);
        if (!answer.IsAcceptable || answer.Audio!.Codec.PayloadType != _session.Request.Format.PayloadType)
        {
            // The mix is encoded for the codec of the session's start; another one needs a new call.
            await _send.RespondAsync(transaction, 488).ConfigureAwait(false);
            return;
        }

        Configure(_endpoint, answer.Audio);
        SipResponse ok = transaction.CreateResponse(200);
        ok.Headers.Add(HeaderId.Contact, _leg.Contact);
        CallSender.AddSdp(ok, _leg.Negotiator.LastLocalDescription!);
        await _send.RespondAsync(transaction, ok).ConfigureAwait(false);
    }

    private async Task EndAsync(bool sendBye)
    {
        if (Interlocked.Exchange(ref _ended, 1) != 0)
        {
            return;
        }

        // Media first: the ports are free at once, whatever the BYE's fate.
        _session.Leave();
        _invite.Dispose();
        _endpoint.Dispose();
        _owner.Forget(_callId);
        if (sendBye && _leg.Dialog is not null)
        {
            // The supervised call is over (or our 2xx was never acknowledged): end the dialog.
            await _leg.SendByeAsync(_owner.Context.Transactions, CallEnd.ShutDown, _log).ConfigureAwait(false);
        }

        _leg.Dialog?.Terminate();
    }
}
