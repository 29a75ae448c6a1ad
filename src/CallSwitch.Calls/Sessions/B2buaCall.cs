using CallSwitch.Compliance.Numbers;
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
/// answer, notice, cancel, end). Its parts: our answers to the caller's INVITE
/// (<see cref="CallerInvite"/>, with the 2xx resent until its ACK), the callee's INVITE
/// (<see cref="CalleeDialler"/>), the requests inside the dialogs (<see cref="InDialogRequests"/>),
/// the RTP timeout (<see cref="MediaWatch"/>), the phase (<see cref="CallProgressTracker"/>) and
/// the recording (<see cref="RecordingWiring"/>).
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
    private readonly CallerInvite _caller;
    private readonly CallProgressTracker _progress;
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CallLegs? _legs;
    private CallMedia? _media;
    private CalleeDialler? _dialler;
    private InDialogRequests? _requests;
    private MediaWatch? _watch;
    private bool _cancelled;
    private volatile bool _ended;

    private B2buaCall(CallContext context, InviteServerTransaction callerInvite, CallPlan plan)
    {
        _context = context;
        Plan = plan;
        Id = NewId();
        _log = context.Log.ForContext("CallId", Id);
        StartedAt = context.Time.GetUtcNow();
        _send = new CallSender(context, _log);
        _caller = new CallerInvite(callerInvite, context, _send);
        _progress = new CallProgressTracker(plan.Announcement is not null, () => context.Registry.OnChanged(this));
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
    public bool? AnnouncementPlayedInFull => Plan.Announcement is null ? null : _progress.NoticePlayedInFull;

    /// <summary>The call's media, once set up.</summary>
    public CallMedia? Media => _media;

    /// <summary>The call's recording under its campaign's rule, once answered (null without a rule or a recording service).</summary>
    public CallRecordingControl? Recording => RecordingLink.Control;

    /// <summary>Completes when the call has ended and released everything.</summary>
    public Task Completion => _completion.Task;

    /// <summary>Phase and answer time, read together.</summary>
    internal CallProgress Progress => _progress.Current;

    /// <summary>The recording side as the call-control façade acts on it.</summary>
    internal RecordingWiring RecordingLink { get; }

    /// <summary>
    /// A new call id: 12 random hex digits with at least one letter among them. An id of digits
    /// only (about 1 in 280) would read as a phone number and be masked in every log line.
    /// </summary>
    public static string NewId()
    {
        while (true)
        {
            string id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
            if (!id.All(char.IsAsciiDigit))
            {
                return id;
            }
        }
    }

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
        if (ack.CallId == _caller.Request.CallId)
        {
            _caller.OnAck();
        }
    }

    /// <summary>The caller cancelled its INVITE (the transaction layer already answered the CANCEL).</summary>
    public void OnCancel() => _ = _signalling.RunAsync(CancelAsync);

    /// <summary>Ends the call from the switch's side (shutdown, operator).</summary>
    public Task HangUpAsync(CallEnd reason) => _signalling.RunAsync(() => EndAsync(reason, byeCaller: true, byeCallee: true));

    /// <summary>Runs <paramref name="work"/> under the call's signalling lock, in turn with the call's own work (tests: a call kept busy).</summary>
    internal Task RunSignallingAsync(Func<Task> work) => _signalling.RunAsync(work);

    private async Task FailAsync(Exception e)
    {
        _log.Error(e, "Call failed unexpectedly");
        await EndAsync(CallEnd.Failed, byeCaller: true, byeCallee: true, callerStatus: 500).ConfigureAwait(false);
    }

    private async Task SetUpAsync()
    {
        SipRequest invite = _caller.Request;
        // The log's enricher masks numbers (unless logging.unmask_numbers is on, for debugging);
        // a private call's number is not written at all, masked or not.
        _log.Information(
            "Call from {Caller} to {Callee} (agent {Agent}, prospect {Prospect}, campaign {Campaign})",
            invite.From?.Uri.ToString(),
            Plan.Private ? "private" : invite.RequestUri,
            Plan.Agent,
            Plan.Private ? "private" : Plan.ProspectNumber,
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
        CallLegs legs = _legs = CallLegs.Create(_context, media, Plan, _caller.Flow, invite.CallId!);
        _progress.WatchHold(() => legs.AnyOnHold);
        _watch = new MediaWatch(_context, media, legs, _log, () => _ = HangUpAsync(CallEnd.RtpTimeout));
        _requests = new InDialogRequests(_context, _signalling, _send, legs, media, _log, OnHungUpAsync, () =>
        {
            _progress.HoldChanged();

            // Supervisors barging in must not reach a prospect on hold.
            media.CurrentSupervision?.SetHeld(legs.AnyOnHold);
        });
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
        if (outcome.Final is { IsSuccess: true } ok)
        {
            await OnCalleeAnsweredAsync(outcome.Request, ok).ConfigureAwait(false);
            return;
        }

        bool timedOut = outcome.Failure is SipTransactionTimeoutException;
        if (outcome.Final is { } final)
        {
            _log.Information("The callee refused: {Status} {Reason}", final.StatusCode, final.ReasonPhrase);
        }
        else if (timedOut)
        {
            _log.Information("The callee did not answer in time");
        }
        else
        {
            _log.Warning("Cannot reach the callee at {Flow}: {Error}", _legs!.Callee.Flow, outcome.Failure?.Message);
        }

        // A cancelled call has had its 487 already; it ends cancelled unless the callee was unreachable.
        var (status, reason, end) = FailureMapping.ForCalleeFailure(outcome.Final?.StatusCode, outcome.Final?.ReasonPhrase, timedOut);
        await RejectCallerAsync(status, reason, _cancelled && end != CallEnd.Failed ? CallEnd.Cancelled : end).ConfigureAwait(false);
    }

    private async Task RelayProvisionalAsync(SipResponse response)
    {
        if (_ended || _cancelled || response.StatusCode == 100 || _caller.HasFinal)
        {
            return;
        }

        await _caller.RelayProvisionalAsync(response, _legs!, _media!).ConfigureAwait(false);
        _progress.Ringing();
    }

    private async Task OnCalleeAnsweredAsync(SipRequest invite, SipResponse ok)
    {
        CallLegs legs = _legs!;
        CallMedia media = _media!;
        _dialler!.Confirm(invite, ok);

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

        _progress.Answered(_context.Time.GetUtcNow());

        // Before the notice starts, so that a recorded notice is recorded from its first frame;
        // and before the caller has the 200, so that whoever sees the call answered (the agent's
        // phone, a CRM through the API) finds its recording side ready to act on.
        RecordingLink.OnAnswered(Id, media, _log);
        await _caller.AnswerAsync(legs.Caller, () =>
        {
            _log.Warning("No ACK for our 200 OK: ending the call");
            _ = HangUpAsync(CallEnd.Failed);
        }).ConfigureAwait(false);
        _watch!.StartRtpTimeout();
        _log.Debug("Answered; playing the notice: {HasNotice}", Plan.Announcement is not null); // "Call ended" gives the talk time, "Notice played" the notice

        _ = _watch.PlayNoticeThenConnectAsync(Plan, inFull =>
        {
            RecordingLink.OnNoticeEnded(inFull);
            _progress.NoticeEnded(inFull);
        });
    }

    private Task OnHungUpAsync(CallLeg leg) => EndAsync(
        leg.Party == CallParty.Agent ? CallEnd.AgentHungUp : CallEnd.ProspectHungUp,
        byeCaller: leg != _legs!.Caller,
        byeCallee: leg != _legs.Callee);

    private async Task CancelAsync()
    {
        if (_ended || _caller.HasFinal)
        {
            return;
        }

        _cancelled = true;
        _log.Information("The caller cancelled");
        await _caller.RefuseAsync(487).ConfigureAwait(false);
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
        await _caller.RefuseAsync(status, reason).ConfigureAwait(false);
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
        _progress.Ended();
        _caller.Dispose();
        _watch?.Dispose();
        _media?.StopAnnouncement();

        // The recording ends with the call, now; its file is closed while the BYEs go out.
        Task recordingClosed = RecordingLink.EndAsync();

        if (callerStatus != 0)
        {
            await _caller.RefuseAsync(callerStatus).ConfigureAwait(false);
        }

        Task byes = _legs?.SendByesAsync(_context.Transactions, reason, _log, byeCaller, byeCallee) ?? Task.CompletedTask;

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
        await byes.ConfigureAwait(false);
        _completion.TrySetResult();
    }
}
