using CallSwitch.Calls.Media;
using CallSwitch.Calls.Sessions;
using CallSwitch.Media.Codecs;
using CallSwitch.Media.Relay;
using CallSwitch.Sip.Sdp;
using Serilog;

namespace CallSwitch.Calls.Recording;

/// <summary>
/// The recording side of one call: applies the rule's decision, starts the recorder when the
/// call is answered (or connected, or when asked in on-demand mode), attaches its taps to the
/// relay, stops it at the rule's maximum length, on a write failure or at the end of the call,
/// and raises each finished recording's <see cref="RecordingResult"/>.
/// </summary>
/// <remarks>
/// <para>
/// Channels: right = what the prospect sends (leg B, received). Left = what our side says to
/// the prospect: until the parties are connected that is the notice the switch injects toward
/// the prospect (leg B, sent), recorded only when the rule says so; from then on, what the
/// agent sends (leg A, received). The agent is never recorded while the prospect cannot hear
/// them (during the notice).
/// </para>
/// <para>
/// Threads: the call's signalling (answer, connection, end) and any API thread (start) may call
/// in; state changes are made under a lock, the file is written by the recorder's own task.
/// A recording failure is logged and never ends the call. One recording per call in this slice.
/// </para>
/// </remarks>
public sealed class CallRecordingControl
{
    private readonly RecordingService _service;
    private readonly string _callId;
    private readonly CallPlan _plan;
    private readonly CallMedia _media;
    private readonly ILogger _log;
    private readonly Lock _lock = new();
    private readonly List<RecordingResult> _results = [];
    private readonly List<Task> _finishing = [];
    private CallRecorder? _recorder;
    private AgentChannelSink? _agentSink;
    private AgentChannelSink? _noticeSink;
    private ITimer? _limit;
    private DateTimeOffset _startedAt;
    private bool _noticeRecorded;
    private bool? _noticePlayedInFull;
    private DateTimeOffset? _noticeEndedAt;
    private bool _connected;
    private bool _started;
    private bool _ended;

    internal CallRecordingControl(RecordingService service, string callId, CallPlan plan, RecordingRule rule, RecordingDecision decision, CallMedia media, ILogger log)
    {
        _service = service;
        _callId = callId;
        _plan = plan;
        _media = media;
        _log = log;
        Rule = rule;
        Decision = decision;
    }

    /// <summary>The rule in force for this call.</summary>
    public RecordingRule Rule { get; }

    /// <summary>What the rule decided for this call.</summary>
    public RecordingDecision Decision { get; }

    /// <summary>Whether a recording is being made now.</summary>
    public bool IsRecording
    {
        get
        {
            lock (_lock)
            {
                return _recorder is not null;
            }
        }
    }

    /// <summary>The recordings finished so far.</summary>
    public IReadOnlyList<RecordingResult> Results
    {
        get
        {
            lock (_lock)
            {
                return [.. _results];
            }
        }
    }

    /// <summary>
    /// Starts recording on demand (the agent's DTMF sequence or the API). Only in on-demand mode,
    /// once per call, while the call lasts.
    /// </summary>
    /// <returns>Whether a recording started.</returns>
    public bool Start()
    {
        lock (_lock)
        {
            if (_ended || _started || Decision.Start != RecordingStart.OnDemand)
            {
                return false;
            }

            return StartUnlocked("asked");
        }
    }

    /// <summary>
    /// The callee answered; the notice (if any) is about to play. Starts now when the rule
    /// records from the answer and either there is no notice or the notice is to be recorded.
    /// </summary>
    internal void OnAnswered()
    {
        lock (_lock)
        {
            _connected = _plan.Announcement is null;
            if (Decision.Start == RecordingStart.AtAnswer && (_connected || Rule.RecordAnnouncement))
            {
                StartUnlocked("answered");
            }
        }
    }

    /// <summary>
    /// The notice ended and the parties are connected: the left channel switches from the
    /// notice to the agent, or the recording starts now when the notice was not to be recorded.
    /// </summary>
    internal void OnConnected(bool noticePlayedInFull)
    {
        lock (_lock)
        {
            if (_ended || _connected)
            {
                return;
            }

            _connected = true;
            _noticePlayedInFull = noticePlayedInFull;
            _noticeEndedAt = _service.Time.GetUtcNow();
            if (_recorder is not null)
            {
                // Close the notice before opening the agent: a packet may be lost at the switch, none doubled.
                _noticeSink!.IsOpen = false;
                _agentSink!.IsOpen = true;
            }
            else if (Decision.Start == RecordingStart.AtAnswer && !_started)
            {
                StartUnlocked("connected");
            }
        }
    }

    /// <summary>The call ended: stops the recording and waits until its result has been raised.</summary>
    internal Task EndAsync()
    {
        Task[] finishing;
        lock (_lock)
        {
            _ended = true;
            if (_recorder is { } recorder)
            {
                StopUnlocked(recorder, RecordingStopReason.CallEnded);
            }

            finishing = [.. _finishing];
        }

        return Task.WhenAll(finishing);
    }

    private bool StartUnlocked(string trigger)
    {
        _started = true;
        DateTimeOffset now = _service.Time.GetUtcNow();
        string recordingId = Guid.CreateVersion7(now).ToString("N");
        string path = _service.PathFor(now, recordingId);
        IReadOnlyDictionary<int, AudioCodecInfo> prospect = PayloadTypes(_media.Negotiated(CallParty.Prospect));

        // Before the connection the left channel carries the notice, in the prospect leg's codec.
        var agent = new Dictionary<int, AudioCodecInfo>(prospect);
        foreach (var (payloadType, codec) in PayloadTypes(_media.Negotiated(CallParty.Agent)))
        {
            agent[payloadType] = codec;
        }

        CallRecorder recorder;
        try
        {
            recorder = CallRecorder.Create(recordingId, path, _plan.CampaignId ?? Rule.CampaignId, _service.Keys, _service.Encoder, _service.Time, agent, prospect);
        }
        catch (Exception e)
        {
            // Whatever went wrong (spool unwritable, disk full, key store, encoder), the call goes on unrecorded.
            _service.CountFailure();
            _log.Error("Recording not started ({Trigger}, rule {Rule}): {Error}; the call goes on unrecorded", trigger, Rule.Id, e.Message);
            return false;
        }

        _recorder = recorder;
        _noticeRecorded = !_connected;

        // Not `now`: creating the file and the data key can take a while on a loaded machine.
        _startedAt = recorder.Start();
        RelaySession session = _media.Session;
        _agentSink = new AgentChannelSink(recorder.AgentTap, MediaDirection.Received) { IsOpen = _connected };
        _noticeSink = new AgentChannelSink(recorder.AgentTap, MediaDirection.Sent) { IsOpen = !_connected };
        session.AddSink(RelayLegId.A, _agentSink);
        session.AddSink(RelayLegId.B, _noticeSink);
        session.AddSink(RelayLegId.B, recorder.ProspectTap);
        _limit = _service.Time.CreateTimer(_ => OnLimit(recorder), null, Rule.MaxDuration, Timeout.InfiniteTimeSpan);
        _ = WatchAsync(recorder);
        _log.Information(
            "Recording {RecordingId} started ({Trigger}, rule {Rule}, notice recorded: {NoticeRecorded}, key {KeyId})",
            recordingId,
            trigger,
            Rule.Id,
            _noticeRecorded,
            recorder.KeyId);
        return true;
    }

    private void OnLimit(CallRecorder recorder)
    {
        lock (_lock)
        {
            if (ReferenceEquals(_recorder, recorder))
            {
                _log.Information("Recording {RecordingId} reached its maximum length ({Limit}); the call goes on", recorder.RecordingId, Rule.MaxDuration);
                StopUnlocked(recorder, RecordingStopReason.MaxDuration);
            }
        }
    }

    private async Task WatchAsync(CallRecorder recorder)
    {
        try
        {
            await recorder.Running.ConfigureAwait(false);
        }
        catch (Exception e)
        {
            _service.CountFailure();
            _log.Error("Recording {RecordingId} failed while writing: {Error}; recording stopped, the call goes on", recorder.RecordingId, e.Message);
            lock (_lock)
            {
                if (ReferenceEquals(_recorder, recorder))
                {
                    StopUnlocked(recorder, RecordingStopReason.WriteFailed);
                }
            }
        }
    }

    private void StopUnlocked(CallRecorder recorder, RecordingStopReason reason)
    {
        _recorder = null;
        _limit?.Dispose();
        RelaySession session = _media.Session;
        session.RemoveSink(RelayLegId.A, _agentSink!);
        session.RemoveSink(RelayLegId.B, _noticeSink!);
        session.RemoveSink(RelayLegId.B, recorder.ProspectTap);
        var context = new FinishContext(_startedAt, _noticeRecorded, reason);
        _finishing.Add(FinishAsync(recorder, context));
    }

    private async Task FinishAsync(CallRecorder recorder, FinishContext context)
    {
        // Closing the file is I/O: never under the lock nor on the signalling thread that stopped it.
        await Task.Yield();
        RecorderSummary summary = await recorder.StopAsync().ConfigureAwait(false);
        RecordingResult result;
        lock (_lock)
        {
            result = new RecordingResult
            {
                RecordingId = recorder.RecordingId,
                CallId = _callId,
                CampaignId = Rule.CampaignId,
                Agent = _plan.Agent,
                ProspectNumber = _plan.ProspectNumber,
                RuleId = Rule.Id,
                Mode = Rule.Mode,
                FilePath = recorder.FilePath,
                KeyId = recorder.KeyId,
                MasterKeyId = recorder.MasterKeyId,
                FileSize = summary.FileSize,
                CiphertextSha256 = summary.CiphertextSha256,
                StartedAt = context.StartedAt,
                EndedAt = summary.EndedAt,
                Duration = summary.Duration,
                PauseSpans = summary.PauseSpans,
                Status = summary.Status,
                DroppedPackets = summary.DroppedPackets,
                StopReason = summary.Failure is not null ? RecordingStopReason.WriteFailed : context.Reason,
                AnnouncementRecorded = context.NoticeRecorded,
                AnnouncementPlayedInFull = _noticePlayedInFull,
                AnnouncementEndedAt = _noticeEndedAt,
                AnnouncementSha256 = _plan.Announcement?.Sha256,
                Purposes = Rule.Purposes,
                LegalBasis = Rule.LegalBasis,
                RetentionDeadline = Rule.RetentionDays is { } days ? summary.EndedAt.AddDays(days) : null,
            };
            _results.Add(result);
        }

        _service.Publish(result, _log);
    }

    private static Dictionary<int, AudioCodecInfo> PayloadTypes(NegotiatedAudioStream? stream)
    {
        var map = new Dictionary<int, AudioCodecInfo>();
        if (stream is not null && CodecRegistry.Default.TryGet(stream.Codec.EncodingName, stream.Codec.ClockRate, out AudioCodecInfo? codec))
        {
            map[stream.Codec.PayloadType] = codec;
        }

        return map;
    }

    private sealed record FinishContext(DateTimeOffset StartedAt, bool NoticeRecorded, RecordingStopReason Reason);
}
