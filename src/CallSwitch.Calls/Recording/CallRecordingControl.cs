using CallSwitch.Compliance.Rules;
using CallSwitch.Calls.Media;
using CallSwitch.Calls.Sessions;
using CallSwitch.Compliance.Storage;
using CallSwitch.Media.Codecs;
using CallSwitch.Media.Relay;
using CallSwitch.Recording.Capture;
using CallSwitch.Recording.Vault;
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
/// <para>
/// Controls (agent keys through <see cref="RecordingKeypad"/>, the prospect's key during the
/// notice, or the HTTP API): <see cref="Pause"/> and <see cref="Resume"/> put silence in the
/// file and a span in its metadata; <see cref="Oppose"/> stops the recording, destroys what was
/// recorded of the call (the data key is shredded, the file deleted) and leaves only the record
/// of the refusal — a result without a file, raised even when nothing had been recorded yet;
/// after it nothing is recorded on the call again. Each change is logged with the call id (the
/// logger's context), the recording id and who asked.
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
    private readonly Lock _queueLock = new();
    private Task _commands = Task.CompletedTask;
    private RecordingOpposition? _opposition;
    private bool _madeRecording;
    private CallRecorder? _recorder;
    private AgentChannelSink? _agentSink;
    private AgentChannelSink? _noticeSink;
    private ITimer? _limit;
    private DateTimeOffset _startedAt;
    private bool _noticeRecorded;
    private bool? _noticePlayedInFull;
    private DateTimeOffset? _noticeEndedAt;
    private bool _connected;
    private bool _barging;
    private DateTimeOffset? _bargeStartedAt;
    private readonly List<(DateTimeOffset Start, DateTimeOffset? End)> _barges = [];
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

    /// <summary>Where the recording stands now.</summary>
    public RecordingState State
    {
        get
        {
            lock (_lock)
            {
                return _opposition is not null ? RecordingState.Refused
                    : _recorder is null ? RecordingState.Off
                    : _recorder.IsPaused ? RecordingState.Paused
                    : RecordingState.Recording;
            }
        }
    }

    /// <summary>The refusal, once the recording was refused.</summary>
    public RecordingOpposition? Opposition
    {
        get
        {
            lock (_lock)
            {
                return _opposition;
            }
        }
    }

    /// <summary>The recordings finished so far (a refused one without its file).</summary>
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
    /// once per call, while the call lasts, and never after a refusal.
    /// </summary>
    /// <param name="by">Who asked (logged).</param>
    /// <returns>Whether a recording started.</returns>
    public bool Start(ControlSource by = ControlSource.Api)
    {
        lock (_lock)
        {
            if (_ended || _started || Decision.Start != RecordingStart.OnDemand || _opposition is not null)
            {
                _log.Information(
                    "Recording not started on request ({By}): {Why}",
                    by,
                    _opposition is not null ? "it was refused" : _ended ? "the call ended" : _started ? "already started once" : "the rule does not record on demand");
                return false;
            }

            return StartUnlocked("asked by " + Describe(by));
        }
    }

    /// <summary>Pauses the recording: silence in the file until <see cref="Resume"/>, and a pause span in its metadata.</summary>
    /// <param name="by">Who asked (logged).</param>
    /// <returns>True when it paused now; false when nothing is being recorded or it was already paused.</returns>
    public bool Pause(ControlSource by = ControlSource.Api)
    {
        lock (_lock)
        {
            if (_recorder is not { } recorder || recorder.IsPaused)
            {
                _log.Information("Recording not paused ({By}): {Why}", by, _recorder is null ? "nothing is being recorded" : "already paused");
                return false;
            }

            recorder.Pause();
            _log.Information("Recording {RecordingId} paused by {By}", recorder.RecordingId, Describe(by));
            return true;
        }
    }

    /// <summary>Resumes a paused recording.</summary>
    /// <param name="by">Who asked (logged).</param>
    /// <returns>True when it resumed now; false when it was not paused.</returns>
    public bool Resume(ControlSource by = ControlSource.Api)
    {
        lock (_lock)
        {
            if (_recorder is not { IsPaused: true } recorder)
            {
                _log.Information("Recording not resumed ({By}): {Why}", by, _recorder is null ? "nothing is being recorded" : "it is not paused");
                return false;
            }

            recorder.Resume();
            _log.Information("Recording {RecordingId} resumed by {By}", recorder.RecordingId, Describe(by));
            return true;
        }
    }

    /// <summary>
    /// The recording is refused: stops it, destroys what was recorded of the call (in the
    /// background: the file is closed, its key shredded and the file deleted before the result is
    /// raised) and refuses any later start. When nothing had been recorded yet, a result without a
    /// file records the refusal. The call goes on.
    /// </summary>
    /// <param name="by">Who refused: the agent (for the prospect) or the prospect.</param>
    /// <param name="via">Through what (logged).</param>
    /// <returns>True when the refusal was recorded now; false when already refused, after the call, or when the rule records nothing on this call.</returns>
    public bool Oppose(OppositionSource by, ControlSource via = ControlSource.Api)
    {
        lock (_lock)
        {
            if (_ended || _opposition is not null || Decision.Start == RecordingStart.Never)
            {
                _log.Information(
                    "Recording opposition by the {By} ({Via}) ignored: {Why}",
                    by,
                    via,
                    _opposition is not null ? "already refused" : _ended ? "the call ended" : "this call is not recorded");
                return false;
            }

            var opposition = new RecordingOpposition(by, _service.Time.GetUtcNow());
            _opposition = opposition;
            string? current = _recorder?.RecordingId;
            Task[] before = [.. _finishing];
            if (_recorder is { } recorder)
            {
                // Its result is built refused (see FinishAsync).
                StopUnlocked(recorder, RecordingStopReason.Opposed);
            }

            RecordingResult[] kept = [.. _results.Where(r => r.Opposition is null)];
            if (kept.Length > 0)
            {
                _finishing.Add(RefuseFinishedAsync(before, kept, opposition));
            }
            else if (!_madeRecording)
            {
                _finishing.Add(PublishRefusalAsync(opposition));
            }

            _log.Warning(
                "Recording {RecordingId} refused by the {By} ({Via}): what was recorded of this call is destroyed, nothing more will be recorded; the call goes on",
                current ?? kept.FirstOrDefault()?.RecordingId ?? "(none started)",
                by.ToString().ToLowerInvariant(),
                Describe(via));
            return true;
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
            else if (Decision.Start == RecordingStart.AtAnswer && !_started && _opposition is null)
            {
                StartUnlocked("connected");
            }
        }
    }

    /// <summary>
    /// A supervisor barged in (true), or the last barging supervisor stopped or left (false).
    /// With the rule's <see cref="RecordingRule.IncludeBarge"/>, the left channel becomes what the
    /// prospect hears from our side (the agent and the barging supervisors mixed) and back to the
    /// agent alone; each barge span is kept for the recording's metadata. Listening and whispering
    /// supervisors never reach the recording: the left channel stays the agent's own packets.
    /// </summary>
    internal void OnBargeChanged(bool barging)
    {
        lock (_lock)
        {
            if (_ended || _barging == barging)
            {
                return;
            }

            _barging = barging;
            DateTimeOffset now = _service.Time.GetUtcNow();
            if (barging)
            {
                _bargeStartedAt = now;
            }
            else if (_bargeStartedAt is { } start)
            {
                _barges.Add((start, now));
                _bargeStartedAt = null;
            }

            if (_recorder is not null && _connected && Rule.IncludeBarge)
            {
                // Close one source before opening the other: a packet may be lost at the switch, none doubled.
                (barging ? _agentSink! : _noticeSink!).IsOpen = false;
                (barging ? _noticeSink! : _agentSink!).IsOpen = true;
            }
        }
    }

    /// <summary>The barge spans so far, as offsets from the recording's start (an open one has no end); empty when the rule leaves barging out.</summary>
    internal IReadOnlyList<(TimeSpan Start, TimeSpan? End)> BargeSpans()
    {
        lock (_lock)
        {
            return BargeSpansUnlocked(_startedAt);
        }
    }

    private List<(TimeSpan Start, TimeSpan? End)> BargeSpansUnlocked(DateTimeOffset recordingStart)
    {
        var spans = new List<(TimeSpan Start, TimeSpan? End)>();
        if (!Rule.IncludeBarge || !_madeRecording)
        {
            return spans;
        }

        foreach ((DateTimeOffset start, DateTimeOffset? end) in _barges.Append((_bargeStartedAt ?? DateTimeOffset.MaxValue, null)))
        {
            if (start == DateTimeOffset.MaxValue || end < recordingStart)
            {
                continue;
            }

            spans.Add((start > recordingStart ? start - recordingStart : TimeSpan.Zero, end - recordingStart));
        }

        return spans;
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
            recorder = _service.Vault.CreateRecorder(recordingId, now, _plan.CampaignId ?? Rule.CampaignId, _service.Time, agent, prospect);
        }
        catch (Exception e)
        {
            // Whatever went wrong (spool unwritable, disk full, key store, encoder), the call goes on unrecorded.
            _service.CountFailure();
            _log.Error("Recording not started ({Trigger}, rule {Rule}): {Error}; the call goes on unrecorded", trigger, Rule.Id, e.Message);
            return false;
        }

        _recorder = recorder;
        _madeRecording = true;
        _noticeRecorded = !_connected;

        // The timeline starts now (not at `now`: creating the file and the data key can take a
        // while on a loaded machine); the bytes wait in memory until the store has the row (the
        // relay never waits).
        var rowSaved = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _startedAt = recorder.Start(
            rowSaved.Task,
            _service.AudioHoldLimit,
            () => _log.Warning("Recording {RecordingId}: its metadata row was not saved within {Limit}; writing the audio anyway", recordingId, _service.AudioHoldLimit),
            _service.Scheduler);
        var started = new RecordingStarted
        {
            RecordingId = recordingId,
            CallId = _callId,
            CampaignId = Rule.CampaignId,
            Agent = _plan.Agent,
            ProspectNumber = _plan.ProspectNumber,
            RuleId = Rule.Id,
            FilePath = recorder.FilePath,
            KeyId = recorder.KeyId,
            StartedAt = _startedAt,
            AnnouncementEndedAt = _noticeEndedAt,
            AnnouncementSha256 = _plan.Announcement?.Sha256,
            Purposes = Rule.Purposes,
            LegalBasis = Rule.LegalBasis,
            RetentionDeadline = RetentionPolicy.Deadline(Rule, _startedAt),
        };
        _service.PublishStarted(started, _log);
        _ = started.Holds().ContinueWith(_ => rowSaved.TrySetResult(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        RelaySession session = _media.Session;
        // Left channel: the notice before the connection; then the agent, or during a recorded
        // barge what the prospect hears from our side (agent and supervisor mixed).
        bool ourSideMixed = !_connected || (_barging && Rule.IncludeBarge);
        _agentSink = new AgentChannelSink(recorder.AgentTap, MediaDirection.Received) { IsOpen = !ourSideMixed };
        _noticeSink = new AgentChannelSink(recorder.AgentTap, MediaDirection.Sent) { IsOpen = ourSideMixed };
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

        // A disposed timer still holds its callback, and the callback the recorder.
        _limit?.Dispose();
        _limit = null;
        RelaySession session = _media.Session;
        session.RemoveSink(RelayLegId.A, _agentSink!);
        session.RemoveSink(RelayLegId.B, _noticeSink!);
        session.RemoveSink(RelayLegId.B, recorder.ProspectTap);

        // Nothing of the recorder stays with the call once it has finished: an ended call is still
        // reachable for 32 s (its INVITE client transaction keeps it for 2xx retransmissions, RFC
        // 6026), and a recorder's buffers are ~300 KB.
        _agentSink = null;
        _noticeSink = null;
        var context = new FinishContext(_startedAt, _noticeRecorded, reason);
        _finishing.Add(FinishAsync(recorder, context));
    }

    /// <summary>
    /// Creates the keypad that reads this call's control keys (see <see cref="RecordingKeypad"/>);
    /// its commands run in order on the thread pool, never on the relay thread.
    /// </summary>
    internal RecordingKeypad CreateKeypad() =>
        new(Rule, _service.Time, () => _media.IsPlayingAnnouncement, Enqueue);

    /// <summary>Queues a keypad command; commands run one at a time, in the order they were keyed.</summary>
    internal void Enqueue(RecordingCommand command, ControlSource via)
    {
        lock (_queueLock)
        {
            _commands = _commands.ContinueWith(_ => Execute(command, via), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        }
    }

    /// <summary>Waits until the keypad commands queued so far have run.</summary>
    internal Task CommandsDone()
    {
        lock (_queueLock)
        {
            return _commands;
        }
    }

    private void Execute(RecordingCommand command, ControlSource via)
    {
        try
        {
            _ = command switch
            {
                RecordingCommand.Pause => Pause(via),
                RecordingCommand.Resume => Resume(via),
                RecordingCommand.Start => Start(via),
                _ => Oppose(via == ControlSource.ProspectKey ? OppositionSource.Prospect : OppositionSource.Agent, via),
            };
        }
        catch (Exception e)
        {
            // A command must never take the call down; nothing here is expected to throw.
            _log.Error(e, "Recording command {Command} ({Via}) failed", command, via);
        }
    }

    private static string Describe(ControlSource source) => source switch
    {
        ControlSource.AgentKeys => "the agent's keys",
        ControlSource.ProspectKey => "the prospect's key",
        _ => "the API",
    };

    private async Task FinishAsync(CallRecorder recorder, FinishContext context)
    {
        // Closing the file is I/O: never under the lock nor on the signalling thread that stopped it.
        await Task.Yield();
        RecorderSummary summary = await recorder.StopAsync().ConfigureAwait(false);
        if (summary.DroppedPackets > 0)
        {
            // Why it is incomplete, for whoever sizes the machine: not stepped for a while (a long
            // gap: the crew was held or starved) or a slow step (its own work).
            RecordingPumpTiming timing = summary.Timing;
            _log.Warning(
                "Recording {RecordingId} lost {Dropped} packet(s) (its queues overflowed): first seen {FirstDrop} s into it, after {GapAtDrop} ms without a step; longest gap between steps {LongestGap} ms, longest step {LongestStep} ms",
                recorder.RecordingId,
                summary.DroppedPackets,
                Math.Round(timing.FirstDropSeenAfter?.TotalSeconds ?? 0, 2),
                Math.Round(timing.GapBeforeFirstDrop.TotalMilliseconds),
                Math.Round(timing.LongestGap.TotalMilliseconds),
                Math.Round(timing.LongestStep.TotalMilliseconds, 1));
        }

        RecordingResult result;
        RecordingOpposition? refused;
        lock (_lock)
        {
            result = ResultUnlocked(recorder.RecordingId, context.StartedAt, summary.EndedAt, context.NoticeRecorded, summary.Failure is not null ? RecordingStopReason.WriteFailed : context.Reason) with
            {
                FilePath = recorder.FilePath,
                KeyId = recorder.KeyId,
                MasterKeyId = recorder.MasterKeyId,
                FileSize = summary.FileSize,
                CiphertextSha256 = summary.CiphertextSha256,
                Duration = summary.Duration,
                PauseSpans = summary.PauseSpans,
                BargeSpans = BargeSpansUnlocked(context.StartedAt),
                Status = summary.Status,
                DroppedPackets = summary.DroppedPackets,
            };

            // Refused before its file was closed: destroyed below, kept only as the refusal.
            refused = _opposition;
            if (refused is null)
            {
                _results.Add(result);
            }
        }

        if (refused is not null)
        {
            result = Destroy(result, refused);
            lock (_lock)
            {
                _results.Add(result);
            }
        }

        _service.Publish(result, _log);
    }

    /// <summary>Recordings finished before the refusal (maximum length, failure): destroyed once their results were raised, then raised again refused.</summary>
    private async Task RefuseFinishedAsync(Task[] before, RecordingResult[] finished, RecordingOpposition opposition)
    {
        await Task.WhenAll(before).ConfigureAwait(false);
        foreach (RecordingResult result in finished)
        {
            RecordingResult refused = Destroy(result, opposition);
            lock (_lock)
            {
                int index = _results.FindIndex(r => r.RecordingId == result.RecordingId);
                _results[index] = refused;
            }

            _service.Publish(refused, _log);
        }
    }

    /// <summary>Nothing was recorded before the refusal: a result without a file keeps the record of it.</summary>
    private async Task PublishRefusalAsync(RecordingOpposition opposition)
    {
        await Task.Yield();
        RecordingResult result;
        lock (_lock)
        {
            result = ResultUnlocked(Guid.CreateVersion7(opposition.At).ToString("N"), opposition.At, opposition.At, noticeRecorded: false, RecordingStopReason.Opposed) with
            {
                Opposition = opposition,
            };
            _results.Add(result);
        }

        _service.Publish(result, _log);
    }

    /// <summary>A result with what the call and the rule say, and no file nor audio (the recorder's summary adds those).</summary>
    private RecordingResult ResultUnlocked(string recordingId, DateTimeOffset startedAt, DateTimeOffset endedAt, bool noticeRecorded, RecordingStopReason reason) => new()
    {
        RecordingId = recordingId,
        CallId = _callId,
        CampaignId = Rule.CampaignId,
        Agent = _plan.Agent,
        ProspectNumber = _plan.ProspectNumber,
        RuleId = Rule.Id,
        Mode = Rule.Mode,
        FilePath = null,
        KeyId = null,
        MasterKeyId = null,
        FileSize = null,
        CiphertextSha256 = null,
        StartedAt = startedAt,
        EndedAt = endedAt,
        Duration = TimeSpan.Zero,
        PauseSpans = [],
        Status = RecordingStatus.Complete,
        DroppedPackets = 0,
        StopReason = reason,
        AnnouncementRecorded = noticeRecorded,
        AnnouncementPlayedInFull = _noticePlayedInFull,
        AnnouncementEndedAt = _noticeEndedAt,
        AnnouncementSha256 = _plan.Announcement?.Sha256,
        Purposes = Rule.Purposes,
        LegalBasis = Rule.LegalBasis,
        RetentionDeadline = RetentionPolicy.Deadline(Rule, startedAt),
    };

    /// <summary>Shreds a finished recording's key and deletes its file; returns what remains: the refusal, without file, key, size, hash or audio.</summary>
    private RecordingResult Destroy(RecordingResult result, RecordingOpposition opposition)
    {
        if (result.KeyId is { } keyId)
        {
            try
            {
                _service.Vault.Shred(keyId, result.FilePath);
                _log.Information("Recording {RecordingId} destroyed: key {KeyId} shredded, file deleted", result.RecordingId, keyId);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The refusal stands; the operator must finish the job by hand.
                _service.CountFailure();
                _log.Error("Recording {RecordingId} was refused but could not be destroyed (key {KeyId}, file {File}): {Error}", result.RecordingId, keyId, result.FilePath, e.Message);
            }
        }

        return result with
        {
            FilePath = null,
            KeyId = null,
            MasterKeyId = null,
            FileSize = null,
            CiphertextSha256 = null,
            Duration = TimeSpan.Zero,
            PauseSpans = [],
            Opposition = opposition,
        };
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
