using System.Security.Cryptography;
using System.Text;
using CallSwitch.Calls.Media;
using CallSwitch.Calls.Recording;
using CallSwitch.Compliance.Storage;
using CallSwitch.Media.Relay;
using CallSwitch.Sip.Auth;
using CallSwitch.Sip.Dialogs;
using CallSwitch.Sip.Dtmf;
using CallSwitch.Sip.Messages;
using CallSwitch.Sip.Sdp;
using CallSwitch.Sip.Transactions;
using CallSwitch.Sip.Transport;
using Serilog;

namespace CallSwitch.Calls.Sessions;

/// <summary>
/// One call through the switch as a back-to-back user agent (RFC 3261 §6, "B2BUA"): the
/// caller's INVITE is answered by us (the caller leg, a UAS dialog) and a new INVITE goes to
/// the callee (the callee leg, a UAC dialog); the media of both legs is anchored in
/// <see cref="CallMedia"/>. Provisional responses and early media are relayed, failures mapped,
/// CANCEL and BYE carried across, hold propagated by re-INVITE, the recording notice played to
/// the prospect before the parties are connected.
/// </summary>
/// <remarks>
/// Threads: SIP events arrive on transport and timer threads; every state change is made
/// under <see cref="_signalling"/>, one at a time, so the call is a simple sequential machine.
/// Every log line carries <see cref="Id"/> as CallId.
/// </remarks>
public sealed class B2buaCall
{
    private static readonly IReadOnlyList<AudioCodec> Served = [AudioCodec.Pcmu, AudioCodec.Pcma, AudioCodec.G722, AudioCodec.TelephoneEvent];
    private readonly CallContext _context;
    private readonly SemaphoreSlim _signalling = new(1, 1);
    private readonly ILogger _log;
    private readonly InviteServerTransaction _callerInvite;
    private CallLeg _caller = null!;
    private CallLeg _callee = null!;
    private CallMedia? _media;
    private CallRecordingControl? _recording;
    private SipRequest? _calleeRequest;
    private InviteClientTransaction? _calleeTransaction;
    private SipResponse? _callerFinal;
    private SuccessRetransmitter? _retransmit;
    private ITimer? _rtpWatch;
    private bool _acked;
    private bool _cancelled;
    private bool _ended;

    private B2buaCall(CallContext context, InviteServerTransaction callerInvite, CallPlan plan)
    {
        _context = context;
        _callerInvite = callerInvite;
        Plan = plan;
        Id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        _log = context.Log.ForContext("CallId", Id);
        StartedAt = context.Time.GetUtcNow();
    }

    /// <summary>The call's own id, in every log line about it.</summary>
    public string Id { get; }

    /// <summary>What routing decided.</summary>
    public CallPlan Plan { get; }

    /// <summary>When the caller's INVITE arrived.</summary>
    public DateTimeOffset StartedAt { get; }

    /// <summary>When the callee answered, if it did.</summary>
    public DateTimeOffset? AnsweredAt { get; private set; }

    /// <summary>How it ended, once it has.</summary>
    public CallEnd? EndReason { get; private set; }

    /// <summary>Whether the notice was played in full (null while not played).</summary>
    public bool? AnnouncementPlayedInFull { get; private set; }

    /// <summary>The call's media, once set up.</summary>
    public CallMedia? Media => _media;

    /// <summary>The call's recording under its campaign's rule, once answered (null without a rule or a recording service).</summary>
    public CallRecordingControl? Recording => Volatile.Read(ref _recording);

    /// <summary>Completes when the call has ended and released everything.</summary>
    public Task Completion => _completion.Task;

    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Starts a call for the caller's INVITE; returns at once, the call goes on by itself.</summary>
    public static B2buaCall Start(CallContext context, InviteServerTransaction callerInvite, CallPlan plan)
    {
        var call = new B2buaCall(context, callerInvite, plan);
        context.Registry.Add(call);
        context.Registry.MapCallId(callerInvite.Request.CallId!, call);
        _ = call.RunAsync();
        return call;
    }

    /// <summary>A request inside one of the call's dialogs (BYE, re-INVITE, OPTIONS, INFO, UPDATE).</summary>
    public void OnRequest(ServerTransaction transaction) => _ = GuardAsync(() => HandleRequestAsync(transaction));

    /// <summary>The ACK of our 2xx to the caller (RFC 3261 §13.3.1.4) or of a re-INVITE.</summary>
    public void OnAck(SipRequest ack)
    {
        if (ack.CallId == _callerInvite.Request.CallId)
        {
            Volatile.Write(ref _acked, true);
            Volatile.Read(ref _retransmit)?.Stop();
        }
    }

    /// <summary>The caller cancelled its INVITE (the transaction layer already answered the CANCEL).</summary>
    public void OnCancel() => _ = GuardAsync(CancelAsync);

    /// <summary>Starts recording an answered call whose campaign records on demand (agent DTMF or API); false when not allowed now.</summary>
    public bool StartRecording() => Recording?.Start() ?? false;

    /// <summary>Pauses the call's recording (the API; the agent's keys go through the keypad): true if it paused now.</summary>
    public bool PauseRecording() => Recording?.Pause() ?? false;

    /// <summary>Resumes the call's paused recording: true if it resumed now.</summary>
    public bool ResumeRecording() => Recording?.Resume() ?? false;

    /// <summary>
    /// The recording of this call is refused by <paramref name="by"/>: it stops, what was recorded
    /// is destroyed, nothing more is recorded; the call goes on. True if a refusal was recorded now
    /// (false before the answer, after the end, when already refused or when the call is not recorded).
    /// </summary>
    public bool OpposeRecording(OppositionSource by) => Recording?.Oppose(by) ?? false;

    /// <summary>Where the call's recording stands: <see cref="Recording.RecordingState.None"/> without a rule; <see cref="Recording.RecordingState.Off"/> until answered.</summary>
    public RecordingState RecordingState =>
        Recording?.State ?? (Plan.Recording is not null && _context.Recording is not null ? RecordingState.Off : RecordingState.None);

    /// <summary>Ends the call from the switch's side (shutdown, operator).</summary>
    public Task HangUpAsync(CallEnd reason) => GuardAsync(() => EndAsync(reason, byeCaller: true, byeCallee: true));

    private async Task RunAsync()
    {
        await GuardAsync(SetUpAsync).ConfigureAwait(false);
    }

    private async Task GuardAsync(Func<Task> work)
    {
        await _signalling.WaitAsync().ConfigureAwait(false);
        try
        {
            if (!_ended)
            {
                await work().ConfigureAwait(false);
            }
        }
        catch (Exception e)
        {
            _log.Error(e, "Call failed unexpectedly");
            await EndAsync(CallEnd.Failed, byeCaller: true, byeCallee: true, callerStatus: 500).ConfigureAwait(false);
        }
        finally
        {
            _signalling.Release();
        }
    }

    private async Task SetUpAsync()
    {
        SipRequest invite = _callerInvite.Request;
        _log.Information(
            "Call from {Caller} to {Callee} (agent {Agent}, prospect {Prospect}, campaign {Campaign})",
            invite.From?.Uri.ToString(),
            invite.RequestUri,
            Plan.Agent,
            Plan.ProspectNumber,
            Plan.CampaignId ?? "-");

        if (invite.Body.IsEmpty || invite.ContentType != "application/sdp" || !SessionDescription.TryParse(invite.Body.Span, out var offer, out string? sdpError))
        {
            await RejectCallerAsync(488, "SDP Offer Required", CallEnd.Rejected).ConfigureAwait(false);
            return;
        }

        try
        {
            _media = new CallMedia(_context.Relay, _context.Clock, _context.MediaAddress, _log);
        }
        catch (PortRangeExhaustedException)
        {
            _log.Warning("No media ports left");
            await RejectCallerAsync(503, "No Media Ports Left", CallEnd.Failed).ConfigureAwait(false);
            return;
        }

        _media.DigitReceived += LogDigit;
        CallParty calleeParty = Plan.Caller == CallParty.Agent ? CallParty.Prospect : CallParty.Agent;
        _caller = new CallLeg(Plan.Caller, _callerInvite.Flow, Negotiator(Plan.Caller, Served), ContactFor(_callerInvite.Flow.Protocol));
        _callee = new CallLeg(calleeParty, Plan.CalleeFlow, Negotiator(calleeParty, Plan.CalleeCodecs), ContactFor(Plan.CalleeFlow.Protocol));

        SdpAnswerResult answer = _caller.Negotiator.CreateAnswer(offer!);
        if (!answer.IsAcceptable)
        {
            _log.Information("No common codec with the caller: {Offer}", sdpError ?? "offer has no codec we serve");
            await RejectCallerAsync(488, null, CallEnd.Rejected).ConfigureAwait(false);
            return;
        }

        _caller.PeerDirection = answer.Audio!.RemoteDirection;
        _media.Configure(_caller.Party, answer.Audio);

        _calleeRequest = CalleeInvites.Build(_callerInvite.Request, Plan, _callee.Contact, _context.ServerName, _callee.Negotiator.CreateOffer());
        await SendCalleeInviteAsync().ConfigureAwait(false);
    }

    private async Task SendCalleeInviteAsync()
    {
        bool retriedAuth = false;
        while (true)
        {
            SipRequest request = _calleeRequest!;
            _context.Registry.MapCallId(request.CallId!, this);
            InviteClientTransaction transaction = (InviteClientTransaction)_context.Transactions.CreateClientTransaction(request, _callee.Flow);
            _calleeTransaction = transaction;
            transaction.ProvisionalReceived += (source, response) => _ = GuardAsync(() => RelayProvisionalAsync(response));
            transaction.Start();

            SipResponse? final = null;
            Exception? failure = null;

            // Let provisionals and a CANCEL in while the callee rings.
            _signalling.Release();
            try
            {
                final = await transaction.FinalResponse.ConfigureAwait(false);
            }
            catch (Exception e) when (e is SipTransactionTimeoutException or SipTransportException)
            {
                failure = e;
            }
            finally
            {
                await _signalling.WaitAsync().ConfigureAwait(false);
            }

            if (final is null)
            {
                if (failure is SipTransactionTimeoutException)
                {
                    _log.Information("The callee did not answer in time");
                    await RejectCallerAsync(_cancelled ? 487 : 408, null, _cancelled ? CallEnd.Cancelled : CallEnd.NoAnswer).ConfigureAwait(false);
                }
                else
                {
                    _log.Warning("Cannot reach the callee at {Flow}: {Error}", _callee.Flow, failure?.Message);
                    await RejectCallerAsync(503, "Callee Unreachable", CallEnd.Failed).ConfigureAwait(false);
                }

                return;
            }

            if (final.StatusCode is 401 or 407 && Plan.TrunkCredentials is { } credentials && !retriedAuth && !_cancelled)
            {
                HeaderId challengeHeader = final.StatusCode == 401 ? HeaderId.WwwAuthenticate : HeaderId.ProxyAuthenticate;
                DigestClientResult auth = credentials.Answer(final.Headers.GetValues(challengeHeader), SipMethods.Invite, request.RequestUri, request.Body.Span);
                if (auth.IsAnswered)
                {
                    retriedAuth = true;
                    _calleeRequest = CalleeInvites.WithCredentials(request, final.StatusCode == 401 ? HeaderId.Authorization : HeaderId.ProxyAuthorization, auth.HeaderValue!);
                    _log.Debug("Answering the trunk's {Status} challenge", final.StatusCode);
                    continue;
                }
            }

            if (final.IsSuccess)
            {
                await OnCalleeAnsweredAsync(request, final).ConfigureAwait(false);
            }
            else
            {
                _log.Information("The callee refused: {Status} {Reason}", final.StatusCode, final.ReasonPhrase);
                CallEnd end = _cancelled ? CallEnd.Cancelled : final.StatusCode is 408 or 480 or 486 or 600 or 603 ? CallEnd.NoAnswer : CallEnd.Rejected;
                if (_cancelled)
                {
                    await EndAsync(CallEnd.Cancelled, byeCaller: false, byeCallee: false).ConfigureAwait(false);
                }
                else
                {
                    await RejectCallerAsync(FailureMapping.ForCaller(final.StatusCode), final.StatusCode < 500 ? final.ReasonPhrase : null, end).ConfigureAwait(false);
                }
            }

            return;
        }
    }

    private async Task RelayProvisionalAsync(SipResponse response)
    {
        if (_ended || _cancelled || response.StatusCode == 100 || _callerFinal is not null)
        {
            return;
        }

        SipResponse provisional = _callerInvite.CreateResponse(response.StatusCode, response.ReasonPhrase);
        provisional.Headers.Add(HeaderId.Contact, _caller.Contact);
        if (response.ContentType == "application/sdp" && !response.Body.IsEmpty && ProcessCalleeAnswer(response))
        {
            // Early media (ringback, announcements of the carrier): let the callee's audio through.
            _media!.Session.SetForwarding(RelayLegIdOf(_callee.Party), true);
            AddSdp(provisional, _caller.Negotiator.LastLocalDescription!);
        }

        await SendToCallerAsync(provisional).ConfigureAwait(false);
    }

    private async Task OnCalleeAnsweredAsync(SipRequest invite, SipResponse ok)
    {
        Dialog dialog = Dialog.CreateAsUac(invite, ok, _callee.Flow);
        dialog.LocalContact = _callee.Contact;
        _callee.Dialog = dialog;
        await SendQuietlyAsync(() => _context.Transactions.SendAckAsync(dialog.CreateAck(invite), _callee.Flow)).ConfigureAwait(false);

        if (_cancelled)
        {
            // The 200 crossed the caller's CANCEL (RFC 3261 §9.1): confirm, then hang up.
            await EndAsync(CallEnd.Cancelled, byeCaller: false, byeCallee: true).ConfigureAwait(false);
            return;
        }

        if (_media!.Negotiated(_callee.Party) is null && !ProcessCalleeAnswer(ok))
        {
            _log.Warning("The callee answered without a usable SDP answer");
            await EndAsync(CallEnd.Failed, byeCaller: false, byeCallee: true, callerStatus: 488).ConfigureAwait(false);
            return;
        }

        AnsweredAt = _context.Time.GetUtcNow();
        SipResponse answer = _callerInvite.CreateResponse(200);
        answer.Headers.Add(HeaderId.Contact, _caller.Contact);
        answer.Headers.Add(HeaderId.Allow, Core.SwitchCore.AllowedMethods);
        AddSdp(answer, _caller.Negotiator.LastLocalDescription!);
        _caller.Dialog = Dialog.CreateAsUas(_callerInvite.Request, answer, _caller.Flow);
        _caller.Dialog.LocalContact = _caller.Contact;
        _callerFinal = answer;
        await SendToCallerAsync(answer).ConfigureAwait(false);
        StartRetransmitting();
        StartRtpWatch();
        _log.Information("Answered; playing the notice: {HasNotice}", Plan.Announcement is not null);

        // Before the notice starts, so that a recorded notice is recorded from its first frame.
        Volatile.Write(ref _recording, _context.Recording?.Begin(Id, Plan, _media, _log));
        _ = WatchAnnouncementAsync(_media.PlayAnnouncementThenConnectAsync(Plan.Announcement, Plan.AgentHearsAnnouncement));
    }

    private async Task WatchAnnouncementAsync(Task<bool> played)
    {
        bool inFull = await played.ConfigureAwait(false);

        // Without a notice the parties were connected at once; a notice cut short leaves them apart.
        if (Plan.Announcement is null || inFull)
        {
            Recording?.OnConnected(inFull);
        }

        if (Plan.Announcement is not null)
        {
            AnnouncementPlayedInFull = inFull;
            _log.Information("Notice {Outcome}; parties connected: {Connected}", inFull ? "played in full" : "cut short", inFull);
        }
    }

    private void LogDigit(CallParty party, char digit)
    {
        // The prospect's keys may be a card number or health data (what pauses are for): never their value.
        if (party == CallParty.Agent)
        {
            _log.Information("DTMF {Digit} from the agent", digit);
        }
        else
        {
            _log.Information("DTMF key from the prospect");
        }
    }

    private bool ProcessCalleeAnswer(SipResponse response)
    {
        if (!SessionDescription.TryParse(response.Body.Span, out var sdp, out _) ||
            !_callee.Negotiator.TryProcessAnswer(sdp!, out var audio, out string? error))
        {
            return _media!.Negotiated(_callee.Party) is not null;
        }

        _ = error;
        _callee.PeerDirection = audio!.RemoteDirection;
        _media!.Configure(_callee.Party, audio);
        return true;
    }

    private async Task HandleRequestAsync(ServerTransaction transaction)
    {
        SipRequest request = transaction.Request;
        CallLeg? leg = LegOf(request);
        if (leg?.Dialog is not { } dialog)
        {
            await RespondAsync(transaction, 481).ConfigureAwait(false);
            return;
        }

        if (!dialog.TryProcessRequest(request))
        {
            await RespondAsync(transaction, 500, "CSeq Out Of Order").ConfigureAwait(false);
            return;
        }

        switch (request.Method)
        {
            case SipMethods.Bye:
                await RespondAsync(transaction, 200).ConfigureAwait(false);
                _log.Information("{Party} hung up", leg.Party);
                CallEnd end = leg.Party == CallParty.Agent ? CallEnd.AgentHungUp : CallEnd.ProspectHungUp;
                await EndAsync(end, byeCaller: leg != _caller, byeCallee: leg != _callee).ConfigureAwait(false);
                break;
            case SipMethods.Invite or SipMethods.Update when !request.Body.IsEmpty:
                await HandleReofferAsync(transaction, leg).ConfigureAwait(false);
                break;
            case SipMethods.Info when DtmfInfoBody.TryParse(request.ContentType, request.Body.Span, out char key):
                // Softphones set to "SIP INFO" DTMF: the key drives the recording keypad like an
                // RFC 4733 event does. INFO is not forwarded, so nothing reaches the other party.
                await RespondAsync(transaction, 200).ConfigureAwait(false);
                _media?.OnSignalledDigit(leg.Party, key);
                break;
            default:
                // OPTIONS keep-alives, other INFO, SDP-less UPDATE (session refresh): nothing to change.
                await RespondAsync(transaction, 200).ConfigureAwait(false);
                break;
        }
    }

    private async Task HandleReofferAsync(ServerTransaction transaction, CallLeg leg)
    {
        if (!SessionDescription.TryParse(transaction.Request.Body.Span, out var offer, out _))
        {
            await RespondAsync(transaction, 400, "Malformed SDP").ConfigureAwait(false);
            return;
        }

        SdpAnswerResult answer = leg.Negotiator.CreateAnswer(offer!);
        if (!answer.IsAcceptable)
        {
            await RespondAsync(transaction, 488).ConfigureAwait(false);
            return;
        }

        bool wasHeld = leg.IsOnHold;
        leg.PeerDirection = answer.Audio!.RemoteOnHold ? SdpMediaDirection.SendOnly : answer.Audio.RemoteDirection;
        _media!.Configure(leg.Party, answer.Audio);
        SipResponse ok = transaction.CreateResponse(200);
        ok.Headers.Add(HeaderId.Contact, leg.Contact);
        AddSdp(ok, answer.Answer);
        await RespondAsync(transaction, ok).ConfigureAwait(false);

        if (wasHeld != leg.IsOnHold)
        {
            _log.Information("{Party} {Action} the call", leg.Party, leg.IsOnHold ? "put on hold" : "resumed");
            await ReofferAsync(Other(leg), leg.IsOnHold ? SdpMediaDirection.SendOnly : SdpMediaDirection.SendReceive).ConfigureAwait(false);
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
        AddSdp(reinvite, leg.Negotiator.CreateOffer(direction));
        ClientTransaction transaction = _context.Transactions.SendRequest(reinvite, leg.Flow);
        _signalling.Release();
        SipResponse? final = null;
        try
        {
            final = await transaction.FinalResponse.ConfigureAwait(false);
        }
        catch (Exception e) when (e is SipTransactionTimeoutException or SipTransportException)
        {
            _log.Warning("re-INVITE to the {Party} failed: {Error}", leg.Party, e.Message);
        }
        finally
        {
            await _signalling.WaitAsync().ConfigureAwait(false);
        }

        if (final is null)
        {
            return;
        }

        dialog.ProcessResponse(reinvite, final);
        if (final.IsSuccess)
        {
            await SendQuietlyAsync(() => _context.Transactions.SendAckAsync(dialog.CreateAck(reinvite), leg.Flow)).ConfigureAwait(false);
            if (SessionDescription.TryParse(final.Body.Span, out var sdp, out _) && leg.Negotiator.TryProcessAnswer(sdp!, out var audio, out _))
            {
                _media!.Configure(leg.Party, audio!);
            }
        }
    }

    private async Task CancelAsync()
    {
        if (_ended || _callerFinal is not null)
        {
            return;
        }

        _cancelled = true;
        _log.Information("The caller cancelled");
        _callerFinal = _callerInvite.CreateResponse(487);
        await SendToCallerAsync(_callerFinal).ConfigureAwait(false);
        if (_calleeTransaction is { } pending)
        {
            // RFC 3261 §9.1: CANCEL only after a provisional; the transaction waits for one.
            _ = pending.CancelAsync();
        }
        else
        {
            await EndAsync(CallEnd.Cancelled, byeCaller: false, byeCallee: false).ConfigureAwait(false);
        }
    }

    private async Task RejectCallerAsync(int status, string? reason, CallEnd end)
    {
        if (_callerFinal is null)
        {
            SipResponse response = _callerInvite.CreateResponse(status, reason);
            _callerFinal = response;
            await SendToCallerAsync(response).ConfigureAwait(false);
        }

        await EndAsync(end, byeCaller: false, byeCallee: false).ConfigureAwait(false);
    }

    private async Task EndAsync(CallEnd reason, bool byeCaller, bool byeCallee, int callerStatus = 0)
    {
        if (_ended)
        {
            return;
        }

        _ended = true;
        EndReason = reason;
        _retransmit?.Dispose();
        _rtpWatch?.Dispose();
        _media?.StopAnnouncement();

        // The recording ends with the call, now; its file is closed while the BYEs go out.
        Task recordingClosed = _recording?.EndAsync() ?? Task.CompletedTask;

        if (callerStatus != 0 && _callerFinal is null)
        {
            _callerFinal = _callerInvite.CreateResponse(callerStatus);
            await SendToCallerAsync(_callerFinal).ConfigureAwait(false);
        }

        var byes = new List<Task>();
        if (byeCallee && _callee?.Dialog is not null)
        {
            byes.Add(SendByeAsync(_callee, reason));
        }

        if (byeCaller && _caller?.Dialog is not null)
        {
            byes.Add(SendByeAsync(_caller, reason));
        }

        // The call is over once its BYEs are sent: its media, trunk channel and registry entry
        // (whose removal stores the call) are given back without waiting for the answers, which
        // a vanished peer never sends (Timer F: 32 s).
        await recordingClosed.ConfigureAwait(false);
        _media?.Dispose();
        if (Plan.TrunkId is not null)
        {
            _context.Registry.ReleaseChannel(Plan.TrunkId);
        }

        _context.Registry.Remove(this);
        TimeSpan? talk = AnsweredAt is { } answered ? _context.Time.GetUtcNow() - answered : null;
        _log.Information("Call ended: {Reason}; talk time {Talk}", reason, talk?.ToString(@"hh\:mm\:ss") ?? "-");

        // Completion waits for the dialogs to end: each BYE answered or timed out.
        await Task.WhenAll(byes).ConfigureAwait(false);
        _completion.TrySetResult();
    }

    private async Task SendByeAsync(CallLeg leg, CallEnd reason)
    {
        SipRequest bye = leg.Dialog!.CreateRequest(SipMethods.Bye);
        bye.Headers.Add(HeaderId.MaxForwards, "70");
        if (reason == CallEnd.RtpTimeout)
        {
            bye.Headers.Add(HeaderId.Reason, "SIP;cause=408;text=\"No RTP\"");
        }

        try
        {
            ClientTransaction transaction = _context.Transactions.SendRequest(bye, leg.Flow);
            await transaction.FinalResponse.ConfigureAwait(false);
        }
        catch (Exception e) when (e is SipTransactionTimeoutException or SipTransportException)
        {
            _log.Information("BYE to the {Party} got no answer: {Error}", leg.Party, e.Message);
        }

        leg.Dialog.Terminate();
    }

    private void StartRetransmitting()
    {
        if (!_caller.Flow.IsReliable)
        {
            var retransmitter = new SuccessRetransmitter(
                _context.Time,
                _context.T1,
                _context.T2,
                () => SendQuietlyAsync(() => _context.Transport.SendResponseAsync(_callerFinal!, _caller.Flow).AsTask()),
                () =>
                {
                    _log.Warning("No ACK for our 200 OK: ending the call");
                    _ = HangUpAsync(CallEnd.Failed);
                });

            Volatile.Write(ref _retransmit, retransmitter);

            // The ACK may have come between our 200 and this line (OnAck sets the flag first).
            if (Volatile.Read(ref _acked))
            {
                retransmitter.Stop();
            }
        }
    }

    private void StartRtpWatch()
    {
        TimeSpan limit = _context.RtpTimeout;
        if (limit <= TimeSpan.Zero)
        {
            return;
        }

        TimeSpan period = TimeSpan.FromSeconds(Math.Clamp(limit.TotalSeconds / 4, 0.5, 5));
        _rtpWatch = _context.Time.CreateTimer(
            _ =>
            {
                RelaySession? session = _media?.Session;
                if (session is null || _ended || _caller.IsOnHold || _callee.IsOnHold)
                {
                    return;
                }

                TimeSpan silence = session.LegA.SilenceDuration < session.LegB.SilenceDuration ? session.LegA.SilenceDuration : session.LegB.SilenceDuration;
                if (silence >= limit)
                {
                    _log.Warning("No RTP from either party for {Seconds} s: ending the call", (int)silence.TotalSeconds);
                    _ = HangUpAsync(CallEnd.RtpTimeout);
                }
            },
            null,
            period,
            period);
    }

    private SdpAudioNegotiator Negotiator(CallParty party, IReadOnlyList<AudioCodec> codecs) =>
        new(new SdpAudioNegotiatorOptions(_context.MediaAddress, _media!.LocalPort(party))
        {
            Codecs = codecs.Where(c => c.IsTelephoneEvent || Served.Contains(c)).ToArray(),
            RtcpMux = false,
            UserName = "callswitch",
            SessionName = "CallSwitch",
        });

    private string ContactFor(SipProtocol protocol)
    {
        var listener = _context.Listener(protocol);
        string host = listener.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{listener.Address}]" : listener.Address.ToString();
        string transport = protocol == SipProtocol.Udp ? string.Empty : ";transport=" + protocol.ToString().ToLowerInvariant();
        return $"<sip:callswitch@{host}:{listener.Port}{transport}>";
    }

    private CallLeg? LegOf(SipRequest request)
    {
        if (_caller is null)
        {
            return null;
        }

        if (request.CallId == _callerInvite.Request.CallId)
        {
            return _caller;
        }

        return request.CallId == _calleeRequest?.CallId ? _callee : null;
    }

    private CallLeg Other(CallLeg leg) => ReferenceEquals(leg, _caller) ? _callee : _caller;

    private static RelayLegId RelayLegIdOf(CallParty party) => party == CallParty.Agent ? RelayLegId.A : RelayLegId.B;

    private static void AddSdp(SipMessage message, SessionDescription sdp) =>
        message.SetBody(Encoding.UTF8.GetBytes(sdp.ToString()), "application/sdp");

    private Task SendToCallerAsync(SipResponse response)
    {
        response.Headers.Add(HeaderId.Server, _context.ServerName);
        return SendQuietlyAsync(() => _callerInvite.SendResponseAsync(response));
    }

    private Task RespondAsync(ServerTransaction transaction, int status, string? reason = null) =>
        RespondAsync(transaction, transaction.CreateResponse(status, reason));

    private Task RespondAsync(ServerTransaction transaction, SipResponse response)
    {
        response.Headers.Add(HeaderId.Server, _context.ServerName);
        return SendQuietlyAsync(() => transaction.SendResponseAsync(response));
    }

    private async Task SendQuietlyAsync(Func<Task> send)
    {
        try
        {
            await send().ConfigureAwait(false);
        }
        catch (Exception e) when (e is SipTransportException or InvalidOperationException)
        {
            _log.Information("Could not send: {Error}", e.Message);
        }
    }
}
