using System.Collections.Concurrent;
using CallSwitch.Calls.Media;
using CallSwitch.Calls.Recording;
using CallSwitch.Calls.Sessions;
using CallSwitch.Compliance.Storage;
using Serilog;

namespace CallSwitch.Server.Hosting;

/// <summary>
/// Writes every call, and the recordings made during it, to the metadata store. When a recording
/// starts, its call row (no end yet) and its recording row (in progress) are queued together and
/// the recording's bytes are held in memory until they are committed, so no audio reaches the
/// spool without a record (after a crash, start-up repair finds it). The recording row is
/// completed when the recording closes (again when it is refused later: the refusal replaces
/// it), the call row when the call ends. A refusal made before any audio (no file, no start row)
/// is written after the call row, at the call's end. The switch never waits on the store:
/// failures are logged with the ids and never reach the call.
/// </summary>
public sealed class CallArchive : IAsyncDisposable
{
    private readonly IMetadataStore _store;
    private readonly CallRegistry _calls;
    private readonly RecordingService? _recordings;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly object _gate = new();
    private readonly Dictionary<string, List<RecordingResult>> _pending = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string CallId, Task<bool> Saved)> _startRows = new(StringComparer.Ordinal);
    private readonly HashSet<string> _recordedCalls = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Task, byte> _writes = new();

    /// <summary>Archives the calls of <paramref name="calls"/> (and the recordings of <paramref name="recordings"/>) into <paramref name="store"/>, which it then owns.</summary>
    public CallArchive(IMetadataStore store, CallRegistry calls, RecordingService? recordings, TimeProvider time, ILogger log)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(calls);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(log);
        _store = store;
        _calls = calls;
        _recordings = recordings;
        _time = time;
        _log = log;
        calls.Ended += OnCallEnded;
        if (recordings is not null)
        {
            recordings.Started += OnRecordingStarted;
            recordings.Finished += OnRecordingFinished;
        }
    }

    /// <summary>The store written to.</summary>
    public IMetadataStore Store => _store;

    /// <summary>Waits for the background writes started so far, and those they queued, to be committed.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        await Task.WhenAll(_writes.Keys).WaitAsync(cancellationToken).ConfigureAwait(false);
        await _store.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Finishes the pending writes, then closes the store.</summary>
    public async ValueTask DisposeAsync()
    {
        _calls.Ended -= OnCallEnded;
        if (_recordings is not null)
        {
            _recordings.Started -= OnRecordingStarted;
            _recordings.Finished -= OnRecordingFinished;
        }

        try
        {
            await Task.WhenAll(_writes.Keys).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _log.Error("Metadata writes still pending at shutdown were abandoned");
        }

        await _store.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>True for an E.164 number (+, a non-zero digit, up to 15 digits in all), the only form the store keeps.</summary>
    public static bool IsE164(string? number) =>
        number is { Length: >= 3 and <= 16 } && number[0] == '+' && number[1] is >= '1' and <= '9' && !number.AsSpan(2).ContainsAnyExceptInRange('0', '9');

    private void OnRecordingStarted(RecordingStarted started)
    {
        B2buaCall? call = _calls.Calls.FirstOrDefault(c => c.Id == started.CallId);
        NewRecording? recording = ToNewRecording(started);
        if (call is null || recording is null)
        {
            _log.Error(
                "Recording {RecordingId} of call {CallId} not stored: {Reason}",
                started.RecordingId,
                started.CallId,
                call is null ? "its call is not live" : "its prospect number is not E.164 or its rule has no legal basis or retention");
            return;
        }

        Task<bool> saved = SaveStartAsync(call, recording);
        lock (_gate)
        {
            _startRows[started.RecordingId] = (call.Id, saved);
            _recordedCalls.Add(call.Id);
        }

        Track(saved);
        started.HoldAudioUntil(saved);
    }

    /// <summary>Queues the call row then the recording row, back to back (the store applies them in that order).</summary>
    private async Task<bool> SaveStartAsync(B2buaCall call, NewRecording recording)
    {
        try
        {
            Task callRow = _store.SaveCallAsync(ToCallRecord(call, null, [], recorded: true));
            Task recordingRow = _store.AddRecordingAsync(recording);
            await callRow.ConfigureAwait(false);
            await recordingRow.ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is ArgumentException or MetadataStoreException or ObjectDisposedException or InvalidOperationException)
        {
            _log.Error("Recording {RecordingId} of call {CallId} not stored at its start: {Error}", recording.Id.ToString("N"), call.Id, e.Message);
            return false;
        }
    }

    private void OnRecordingFinished(RecordingResult result)
    {
        Task<bool>? saved = null;
        lock (_gate)
        {
            if (_startRows.TryGetValue(result.RecordingId, out var start))
            {
                saved = start.Saved;
            }

            if (_calls.Calls.Any(c => c.Id == result.CallId))
            {
                // For the call row, written at the call's end (with the refusals made before any audio).
                if (!_pending.TryGetValue(result.CallId, out List<RecordingResult>? list))
                {
                    _pending[result.CallId] = list = [];
                }

                // A finished recording refused later is raised again: the refusal replaces it.
                list.RemoveAll(r => r.RecordingId == result.RecordingId);
                list.Add(result);
                if (saved is null)
                {
                    return;
                }
            }
        }

        if (saved is not null)
        {
            Track(CompleteAsync(result, saved));
        }
        else if (result.FilePath is null)
        {
            // Refused before any audio, after its call ended (not expected): write it now.
            Track(WriteUnstartedAsync(result.CallId, [result]));
        }
    }

    private async Task CompleteAsync(RecordingResult result, Task<bool> saved)
    {
        try
        {
            if (!await saved.ConfigureAwait(false))
            {
                return;
            }

            if (!await _store.CompleteRecordingAsync(Guid.Parse(result.RecordingId), ToCompletion(result)).ConfigureAwait(false))
            {
                _log.Error("Recording {RecordingId} of call {CallId} not completed: no such row", result.RecordingId, result.CallId);
            }
        }
        catch (Exception e) when (e is ArgumentException or FormatException or MetadataStoreException or ObjectDisposedException or InvalidOperationException)
        {
            _log.Error("Recording {RecordingId} of call {CallId} not completed: {Error}", result.RecordingId, result.CallId, e.Message);
        }
    }

    private void OnCallEnded(B2buaCall call)
    {
        try
        {
            List<RecordingResult>? results;
            bool recorded;
            string[] started;
            lock (_gate)
            {
                _pending.Remove(call.Id, out results);
                recorded = _recordedCalls.Remove(call.Id);
                started = [.. _startRows.Where(r => r.Value.CallId == call.Id).Select(r => r.Key)];
                foreach (string id in started)
                {
                    _startRows.Remove(id);
                }
            }

            CallRecord record = ToCallRecord(call, _time.GetUtcNow(), results ?? [], recorded);
            if (record.ProspectNumber is null && !record.Private && call.Plan.ProspectNumber is { } raw && !IsE164(raw))
            {
                _log.Debug("Call {CallId}: {Number} is not an E.164 number (an agent or an anonymous caller); stored without a prospect number", call.Id, raw);
            }

            _store.EnqueueCall(record);
            RecordingResult[] unstarted = results?.Where(r => r.Opposition is not null && !started.Contains(r.RecordingId)).ToArray() ?? [];
            if (unstarted.Length > 0)
            {
                Track(WriteUnstartedAsync(call.Id, unstarted));
            }
        }
        catch (Exception e) when (e is ArgumentException or MetadataStoreException or ObjectDisposedException or InvalidOperationException)
        {
            _log.Error("Call {CallId} not stored: {Error}", call.Id, e.Message);
        }
    }

    /// <summary>Refusals made before any audio: added (no key, no file) and completed with the refusal, after the call row.</summary>
    private async Task WriteUnstartedAsync(string callId, IReadOnlyList<RecordingResult> results)
    {
        foreach (RecordingResult result in results)
        {
            try
            {
                if (ToNewRecording(result) is not { } recording)
                {
                    _log.Error(
                        "Refusal {RecordingId} of call {CallId} not stored: its prospect number is not E.164 or its rule has no legal basis or retention",
                        result.RecordingId,
                        callId);
                    continue;
                }

                await _store.AddRecordingAsync(recording).ConfigureAwait(false);
                await _store.CompleteRecordingAsync(recording.Id, ToCompletion(result)).ConfigureAwait(false);
            }
            catch (Exception e) when (e is ArgumentException or FormatException or MetadataStoreException or ObjectDisposedException or InvalidOperationException)
            {
                _log.Error("Refusal {RecordingId} of call {CallId} not stored: {Error}", result.RecordingId, callId, e.Message);
            }
        }
    }

    private void Track(Task write)
    {
        _writes.TryAdd(write, 0);
        _ = write.ContinueWith(t => _writes.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>
    /// The call row: ended at <paramref name="endedAt"/>, or in progress when it is null (no end,
    /// no end reason). A prospect number that is not E.164 (an agent's extension, "anonymous") is left out.
    /// </summary>
    /// <param name="call">The call.</param>
    /// <param name="endedAt">When it ended; null while it lasts.</param>
    /// <param name="recordings">Its finished recordings (the notice's playback is taken from them).</param>
    /// <param name="recorded">Whether a recording of it started; with finished <paramref name="recordings"/>, whether one of them was not refused decides.</param>
    public static CallRecord ToCallRecord(B2buaCall call, DateTimeOffset? endedAt, IReadOnlyList<RecordingResult> recordings, bool recorded = false)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(recordings);
        AnnouncementPlayback? announcement = recordings.Select(AnnouncementOf).FirstOrDefault(a => a is not null);
        if (announcement is null && call.AnnouncementPlayedInFull is not null && call.Plan.Announcement is { } played && call.AnsweredAt is { } answered)
        {
            announcement = new AnnouncementPlayback(answered, played.Sha256);
        }

        return new CallRecord
        {
            CallId = call.Id,
            Direction = call.Plan.Caller == CallParty.Prospect ? CallDirection.Inbound : CallDirection.Outbound,
            AgentId = call.Plan.Agent,
            CampaignId = call.Plan.CampaignId,
            ProspectNumber = !call.Plan.Private && IsE164(call.Plan.ProspectNumber) ? call.Plan.ProspectNumber : null,
            Private = call.Plan.Private,
            StartedAt = call.StartedAt,
            AnsweredAt = call.AnsweredAt,
            EndedAt = endedAt < call.StartedAt ? call.StartedAt : endedAt,
            EndReason = endedAt is null ? null : call.EndReason?.ToString(),
            Announcement = announcement,

            // A refused recording left nothing recorded of the call, only the record of the refusal.
            Recorded = recordings.Count > 0 ? recordings.Any(r => r.Opposition is null) : recorded,
        };
    }

    /// <summary>
    /// The recording row of a recording as it starts, or of one refused before any audio (no key,
    /// no file; written at the call's end); null when the store cannot hold it (a number not in
    /// E.164, no legal basis or retention).
    /// </summary>
    public static NewRecording? ToNewRecording(IRecordingFacts recording)
    {
        ArgumentNullException.ThrowIfNull(recording);
        if (!IsE164(recording.ProspectNumber) || recording.LegalBasis is not { } basis || recording.RetentionDeadline is not { } retention)
        {
            return null;
        }

        return new NewRecording
        {
            Id = Guid.Parse(recording.RecordingId),
            CallId = recording.CallId,
            CampaignId = recording.CampaignId,
            AgentId = recording.Agent,
            ProspectNumber = recording.ProspectNumber,
            StartedAt = recording.StartedAt,
            RuleId = recording.RuleId,
            Announcement = AnnouncementOf(recording),
            Purposes = recording.Purposes,
            LegalBasis = basis,
            RetentionUntil = retention,
            KeyId = recording.KeyId,
            FilePath = recording.FilePath,
        };
    }

    /// <summary>
    /// How a recording ended, for the store: a refused one keeps only its refusal (no file, size,
    /// hash nor pauses). The retention deadline is not in it: the row keeps the one it was created
    /// with (<see cref="CallSwitch.Compliance.Rules.RetentionPolicy.Deadline"/>, from the start).
    /// </summary>
    public static RecordingCompletion ToCompletion(RecordingResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        bool refused = result.Opposition is not null;
        return new RecordingCompletion
        {
            EndedAt = result.EndedAt,
            Duration = result.Duration,
            Status = result.Status,
            DroppedPackets = result.DroppedPackets,
            Pauses = refused ? [] : result.PauseSpans.Select(p => new RecordingPause(p.Start, p.End)).ToArray(),
            Barges = refused ? [] : result.BargeSpans.Select(b => new RecordingBarge(b.Start, b.End)).ToArray(),
            Opposition = result.Opposition,
            FileSize = refused ? null : result.FileSize,
            CiphertextSha256 = refused ? null : result.CiphertextSha256,
            Announcement = AnnouncementOf(result),
        };
    }

    private static AnnouncementPlayback? AnnouncementOf(IRecordingFacts recording) =>
        recording.AnnouncementSha256 is { } sha && recording.AnnouncementEndedAt is { } at ? new AnnouncementPlayback(at, sha) : null;
}
