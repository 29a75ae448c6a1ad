using System.Security.Cryptography;
using CallSwitch.Calls.Media;
using CallSwitch.Calls.Recording;
using CallSwitch.Media.Relay;
using CallSwitch.Sip.Dialogs;
using CallSwitch.Sip.Messages;
using CallSwitch.Sip.Sdp;
using CallSwitch.Sip.Transactions;
using Serilog;

namespace CallSwitch.Calls.Sessions;

/// <summary>
/// One call through the switch as a back-to-back user agent (RFC 3261 §6, "B2BUA"): the
/// caller's INVITE is answered by us (the caller leg, a UAS dialog) and a new INVITE goes to
/// the callee (the callee leg, a UAC dialog); the media of both legs is anchored in
/// <see cref="CallMedia"/>. This class is the call's signalling state machine (dialling, ringing,
/// answer, notice, cancel, end); the callee's INVITE is <see cref="CalleeDialler"/>, requests
/// inside the dialogs <see cref="InDialogRequests"/>, the RTP timeout <see cref="MediaWatch"/>,
/// the 2xx until its ACK <see cref="AnswerRetransmission"/>, the recording <see cref="RecordingWiring"/>.
/// </summary>
/// <remarks>
/// Threads: SIP events arrive on transport and timer threads; every state change is made
/// under the call's <see cref="CallSignalling"/>, one at a time, so the call is a simple
/// sequential machine. Every log line carries <see cref="Id"/> as CallId. Anything outside the
/// call machinery acts on a live call through <see cref="Control.ICallControl"/>, not here.
/// </remarks>
public sealed class B2buaCall
{
    private readonly CallContext _context;
    private readonly CallSignalling _signalling;
    private readonly CallSender _send;
    private readonly ILogger _log;
    private readonly InviteServerTransaction _callerInvite;
    private readonly AnswerRetransmission _answer = new();
    private readonly Lock _progressLock = new();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CallProgress _progress = new(CallPhase.Dialling, null);
    private CallLegs? _legs;
    private CallMedia? _media;
    private CalleeDialler? _dialler;
    private InDialogRequests? _requests;
    private MediaWatch? _watch;
    private SipResponse? _callerFinal;
    private volatile bool _ringing;
    private volatile bool _connected;
    private bool _cancelled;
    private volatile bool _ended;

    private B2buaCall(CallContext context, InviteServerTransaction callerInvite, CallPlan plan)
    {
        _context = context;
        _callerInvite = callerInvite;
        Plan = plan;
        Id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        _log = context.Log.ForContext("CallId", Id);
        StartedAt = context.Time.GetUtcNow();
        _send = new CallSender(context, _log);
        _signalling = new CallSignalling(() => _ended, FailAsync);
        RecordingLink = new RecordingWiring(context.Recording, plan);
    }

    /// <summary>The call's own id, in every log line about it.</summary>
    public string Id { get; }

    /// <summary>What routing decided.</summary>
    public CallPlan Plan { get; }

    /// <summary>When the caller's INVITE arrived.</summary>
    public DateTimeOffset StartedAt { get; }

    /// <summary>When the callee answered, if it did.</summary>
    public DateTimeOffset? AnsweredAt => Progress.AnsweredAt;

    /// <summary>Where the call stands now.</summary>
    public CallPhase Phase => Progress.Phase;

    /// <summary>How it ended, once it has.</summary>
    public CallEnd? EndReason { get; private set; }

    /// <summary>Whether the notice was played in full (null while not played).</summary>
    public bool? AnnouncementPlayedInFull { get; private set; }

    /// <summary>The call's media, once set up.</summary>
    public CallMedia? Media => _media;

    /// <summary>The call's recording under its campaign's rule, once answered (null without a rule or a recording service).</summary>
    public CallRecordingControl? Recording => RecordingLink.Control;

    /// <summary>Completes when the call has ended and released everything.</summary>
    public Task Completion => _completion.Task;

    /// <summary>Phase and answer time, read together.</summary>
    internal CallProgress Progress => Volatile.Read(ref _progress);

    /// <summary>The recording side as the call-control façade acts on it.</summary>
    internal RecordingWiring RecordingLink { get; }

    /// <summary>Starts a call for the caller's INVITE; returns at once, the call goes on by itself.</summary>
    public static B2buaCall Start(CallContext context, InviteServerTransaction callerInvite, CallPlan plan)
    {
        var call = new B2buaCall(context, callerInvite, plan);
        context.Registry.Add(call);
        context.Registry.MapCallId(callerInvite.Request.CallId!, call);
        _ = call._signalling.RunAsync(call.SetUpAsync);
        return call;
    }

    /// <summary>A request inside one of the call's dialogs (BYE, re-INVITE, OPTIONS, INFO, UPDATE).</summary>
    public void OnRequest(ServerTransaction transaction) =>
        _ = _signalling.RunAsync(() => _requests is { } requests ? requests.HandleAsync(transaction) : _send.RespondAsync(transaction, 481));

    /// <summary>The ACK of our 2xx to the caller (RFC 3261 §13.3.1.4) or of a re-INVITE.</summary>
    public void OnAck(SipRequest ack)
    {
        if (ack.CallId == _callerInvite.Request.CallId)
        {
            _answer.OnAck();
        }
    }

    /// <summary>The caller cancelled its INVITE (the transaction layer already answered the CANCEL).</summary>
    public void OnCancel() => _ = _signalling.RunAsync(CancelAsync);

    /// <summary>Ends the call from the switch's side (shutdown, operator).</summary>
    public Task HangUpAsync(CallEnd reason) => _signalling.RunAsync(() => EndAsync(reason, byeCaller: true, byeCallee: true));

    private async Task FailAsync(Exception e)
    {
        _log.Error(e, "Call failed unexpectedly");
        await EndAsync(CallEnd.Failed, byeCaller: true, byeCallee: true, callerStatus: 500).ConfigureAwait(false);
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

        CallMedia media;
        try
        {
            media = new CallMedia(_context.Relay, _context.Clock, _context.MediaAddress, _log);
        }
        catch (PortRangeExhaustedException)
        {
            _log.Warning("No media ports left");
            await RejectCallerAsync(503, "No Media Ports Left", CallEnd.Failed).ConfigureAwait(false);
            return;
        }

        _media = media;
        CallParty calleeParty = Plan.Caller == CallParty.Agent ? CallParty.Prospect : CallParty.Agent;
        var legs = new CallLegs(
            CallLeg.Create(_context, media, Plan.Caller, _callerInvite.Flow, CallLeg.Served),
            CallLeg.Create(_context, media, calleeParty, Plan.CalleeFlow, Plan.CalleeCodecs),
            invite.CallId!);
        _legs = legs;
        _watch = new MediaWatch(_context, media, legs, _log, () => _ = HangUpAsync(CallEnd.RtpTimeout));
        _requests = new InDialogRequests(_context, _signalling, _send, legs, media, _log, OnHungUpAsync, () => Refresh());
        _dialler = new CalleeDialler(_context, _signalling, Plan, legs, _log);

        SdpAnswerResult answer = legs.Caller.Negotiator.CreateAnswer(offer!);
        if (!answer.IsAcceptable)
        {
            _log.Information("No common codec with the caller: {Offer}", sdpError ?? "offer has no codec we serve");
            await RejectCallerAsync(488, null, CallEnd.Rejected).ConfigureAwait(false);
            return;
        }

        legs.Caller.PeerDirection = answer.Audio!.RemoteDirection;
        media.Configure(legs.Caller.Party, answer.Audio);

        SipRequest calleeInvite = CalleeInvites.Build(invite, Plan, legs.Callee.Contact, _context.ServerName, legs.Callee.Negotiator.CreateOffer());
        CalleeAnswer outcome = await _dialler.DialAsync(
            calleeInvite,
            callId => _context.Registry.MapCallId(callId, this),
            response => _ = _signalling.RunAsync(() => RelayProvisionalAsync(response)),
            () => _cancelled).ConfigureAwait(false);
        await OnCalleeFinalAsync(outcome).ConfigureAwait(false);
    }

    private async Task OnCalleeFinalAsync(CalleeAnswer outcome)
    {
        if (outcome.Final is not { } final)
        {
            if (outcome.Failure is SipTransactionTimeoutException)
            {
                _log.Information("The callee did not answer in time");
                await RejectCallerAsync(_cancelled ? 487 : 408, null, _cancelled ? CallEnd.Cancelled : CallEnd.NoAnswer).ConfigureAwait(false);
            }
            else
            {
                _log.Warning("Cannot reach the callee at {Flow}: {Error}", _legs!.Callee.Flow, outcome.Failure?.Message);
                await RejectCallerAsync(503, "Callee Unreachable", CallEnd.Failed).ConfigureAwait(false);
            }
        }
        else if (final.IsSuccess)
        {
            await OnCalleeAnsweredAsync(outcome.Request, final).ConfigureAwait(false);
        }
        else if (_cancelled)
        {
            _log.Information("The callee refused: {Status} {Reason}", final.StatusCode, final.ReasonPhrase);
            await EndAsync(CallEnd.Cancelled, byeCaller: false, byeCallee: false).ConfigureAwait(false);
        }
        else
        {
            _log.Information("The callee refused: {Status} {Reason}", final.StatusCode, final.ReasonPhrase);
            CallEnd end = final.StatusCode is 408 or 480 or 486 or 600 or 603 ? CallEnd.NoAnswer : CallEnd.Rejected;
            await RejectCallerAsync(FailureMapping.ForCaller(final.StatusCode), final.StatusCode < 500 ? final.ReasonPhrase : null, end).ConfigureAwait(false);
        }
    }

    private async Task RelayProvisionalAsync(SipResponse response)
    {
        if (_ended || _cancelled || response.StatusCode == 100 || _callerFinal is not null)
        {
            return;
        }

        CallLegs legs = _legs!;
        SipResponse provisional = _callerInvite.CreateResponse(response.StatusCode, response.ReasonPhrase);
        provisional.Headers.Add(HeaderId.Contact, legs.Caller.Contact);
        if (response.ContentType == "application/sdp" && !response.Body.IsEmpty && legs.Callee.TryTakeAnswer(response, _media!))
        {
            // Early media (ringback, announcements of the carrier): let the callee's audio through.
            _media!.Session.SetForwarding(legs.Callee.Party == CallParty.Agent ? RelayLegId.A : RelayLegId.B, true);
            CallSender.AddSdp(provisional, legs.Caller.Negotiator.LastLocalDescription!);
        }

        await _send.RespondAsync(_callerInvite, provisional).ConfigureAwait(false);
        _ringing = true;
        Refresh();
    }

    private async Task OnCalleeAnsweredAsync(SipRequest invite, SipResponse ok)
    {
        CallLegs legs = _legs!;
        CallMedia media = _media!;
        Dialog dialog = Dialog.CreateAsUac(invite, ok, legs.Callee.Flow);
        dialog.LocalContact = legs.Callee.Contact;
        legs.Callee.Dialog = dialog;
        await _send.AckAsync(dialog, invite, legs.Callee.Flow).ConfigureAwait(false);

        if (_cancelled)
        {
            // The 200 crossed the caller's CANCEL (RFC 3261 §9.1): confirm, then hang up.
            await EndAsync(CallEnd.Cancelled, byeCaller: false, byeCallee: true).ConfigureAwait(false);
            return;
        }

        if (media.Negotiated(legs.Callee.Party) is null && !legs.Callee.TryTakeAnswer(ok, media))
        {
            _log.Warning("The callee answered without a usable SDP answer");
            await EndAsync(CallEnd.Failed, byeCaller: false, byeCallee: true, callerStatus: 488).ConfigureAwait(false);
            return;
        }

        Refresh(answeredAt: _context.Time.GetUtcNow());
        SipResponse answer = _callerInvite.CreateResponse(200);
        answer.Headers.Add(HeaderId.Contact, legs.Caller.Contact);
        answer.Headers.Add(HeaderId.Allow, Core.SwitchCore.AllowedMethods);
        CallSender.AddSdp(answer, legs.Caller.Negotiator.LastLocalDescription!);
        legs.Caller.Dialog = Dialog.CreateAsUas(_callerInvite.Request, answer, legs.Caller.Flow);
        legs.Caller.Dialog.LocalContact = legs.Caller.Contact;
        _callerFinal = answer;
        await _send.RespondAsync(_callerInvite, answer).ConfigureAwait(false);
        _answer.Start(_context, _send, answer, legs.Caller.Flow, () =>
        {
            _log.Warning("No ACK for our 200 OK: ending the call");
            _ = HangUpAsync(CallEnd.Failed);
        });
        _watch!.StartRtpTimeout();
        _log.Information("Answered; playing the notice: {HasNotice}", Plan.Announcement is not null);

        // Before the notice starts, so that a recorded notice is recorded from its first frame.
        RecordingLink.OnAnswered(Id, media, _log);
        _ = WatchAnnouncementAsync(media.PlayAnnouncementThenConnectAsync(Plan.Announcement, Plan.AgentHearsAnnouncement));
    }

    private async Task WatchAnnouncementAsync(Task<bool> played)
    {
        bool inFull = await played.ConfigureAwait(false);

        // Without a notice the parties were connected at once; a notice cut short leaves them apart.
        RecordingLink.OnNoticeEnded(inFull);
        if (Plan.Announcement is not null)
        {
            AnnouncementPlayedInFull = inFull;
            _log.Information("Notice {Outcome}; parties connected: {Connected}", inFull ? "played in full" : "cut short", inFull);
        }

        if (Plan.Announcement is null || inFull)
        {
            _connected = true;
            Refresh();
        }
    }

    private Task OnHungUpAsync(CallLeg leg) => EndAsync(
        leg.Party == CallParty.Agent ? CallEnd.AgentHungUp : CallEnd.ProspectHungUp,
        byeCaller: leg != _legs!.Caller,
        byeCallee: leg != _legs.Callee);

    private async Task CancelAsync()
    {
        if (_ended || _callerFinal is not null)
        {
            return;
        }

        _cancelled = true;
        _log.Information("The caller cancelled");
        _callerFinal = _callerInvite.CreateResponse(487);
        await _send.RespondAsync(_callerInvite, _callerFinal).ConfigureAwait(false);
        if (_dialler?.Pending is { } pending)
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
            _callerFinal = _callerInvite.CreateResponse(status, reason);
            await _send.RespondAsync(_callerInvite, _callerFinal).ConfigureAwait(false);
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
        Refresh();
        _answer.Dispose();
        _watch?.Dispose();
        _media?.StopAnnouncement();

        // The recording ends with the call, now; its file is closed while the BYEs go out.
        Task recordingClosed = RecordingLink.EndAsync();

        if (callerStatus != 0 && _callerFinal is null)
        {
            _callerFinal = _callerInvite.CreateResponse(callerStatus);
            await _send.RespondAsync(_callerInvite, _callerFinal).ConfigureAwait(false);
        }

        var byes = new List<Task>();
        if (byeCallee && _legs?.Callee.Dialog is not null)
        {
            byes.Add(_legs.Callee.SendByeAsync(_context.Transactions, reason, _log));
        }

        if (byeCaller && _legs?.Caller.Dialog is not null)
        {
            byes.Add(_legs.Caller.SendByeAsync(_context.Transactions, reason, _log));
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

    /// <summary>Recomputes the phase from what happened so far; a new phase (but the end, which the registry reports on removal) is announced.</summary>
    private void Refresh(DateTimeOffset? answeredAt = null)
    {
        CallPhase before, after;
        lock (_progressLock)
        {
            CallProgress progress = _progress;
            DateTimeOffset? answered = answeredAt ?? progress.AnsweredAt;
            after = _ended ? CallPhase.Ended
                : answered is null ? (_ringing ? CallPhase.Ringing : CallPhase.Dialling)
                : !_connected && Plan.Announcement is not null ? CallPhase.Notice
                : _legs!.AnyOnHold ? CallPhase.OnHold
                : CallPhase.Connected;
            before = progress.Phase;
            Volatile.Write(ref _progress, new CallProgress(after, answered));
        }

        if (before != after && after != CallPhase.Ended)
        {
            _context.Registry.OnChanged(this);
        }
    }
}
