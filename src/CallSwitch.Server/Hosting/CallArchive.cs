using System.Collections.Concurrent;
using CallSwitch.Calls.Media;
using CallSwitch.Calls.Recording;
using CallSwitch.Calls.Sessions;
using CallSwitch.Compliance.Storage;
using Serilog;
using CallsRecordingStatus = CallSwitch.Calls.Recording.RecordingStatus;
using StoreRecordingStatus = CallSwitch.Compliance.Storage.RecordingStatus;

namespace CallSwitch.Server.Hosting;

/// <summary>
/// Writes every ended call, and the recordings made during it, to the metadata store. The
/// switch never waits on it: a call row is queued (fire and forget) when the call ends, then
/// its recordings are added and completed, in that order, in the background. Failures are
/// logged with the call id and never reach the call.
/// </summary>
public sealed class CallArchive : IAsyncDisposable
{
    private readonly IMetadataStore _store;
    private readonly CallRegistry _calls;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly object _gate = new();
    private readonly Dictionary<string, List<RecordingResult>> _pending = new(StringComparer.Ordinal);
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
        _time = time;
        _log = log;
        calls.Ended += OnCallEnded;
        if (recordings is not null)
        {
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

    private void OnRecordingFinished(RecordingResult result)
    {
        lock (_gate)
        {
            if (_calls.Calls.Any(c => c.Id == result.CallId))
            {
                // The call row does not exist yet: the recording is written after it, at the call's end.
                if (!_pending.TryGetValue(result.CallId, out List<RecordingResult>? list))
                {
                    _pending[result.CallId] = list = [];
                }

                // A finished recording refused later is raised again: the refusal replaces it.
                list.RemoveAll(r => r.RecordingId == result.RecordingId);
                list.Add(result);
                return;
            }
        }

        Track(WriteRecordingsAsync(result.CallId, [result]));
    }

    private void OnCallEnded(B2buaCall call)
    {
        try
        {
            List<RecordingResult>? results;
            lock (_gate)
            {
                _pending.Remove(call.Id, out results);
            }

            CallRecord record = ToCallRecord(call, _time.GetUtcNow(), results ?? []);
            if (record.ProspectNumber is null && call.Plan.ProspectNumber is { } raw && !IsE164(raw))
            {
                _log.Debug("Call {CallId}: {Number} is not an E.164 number (an agent or an anonymous caller); stored without a prospect number", call.Id, raw);
            }

            _store.EnqueueCall(record);
            if (results is { Count: > 0 })
            {
                Track(WriteRecordingsAsync(call.Id, results));
            }
        }
        catch (Exception e) when (e is ArgumentException or MetadataStoreException or ObjectDisposedException or InvalidOperationException)
        {
            _log.Error("Call {CallId} not stored: {Error}", call.Id, e.Message);
        }
    }

    private void Track(Task write)
    {
        _writes.TryAdd(write, 0);
        _ = write.ContinueWith(t => _writes.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private async Task WriteRecordingsAsync(string callId, IReadOnlyList<RecordingResult> results)
    {
        foreach (RecordingResult result in results)
        {
            try
            {
                if (ToNewRecording(result) is not { } recording)
                {
                    _log.Error(
                        "Recording {RecordingId} of call {CallId} not stored: its prospect number is not E.164 or its rule has no legal basis or retention",
                        result.RecordingId,
                        callId);
                    continue;
                }

                await _store.AddRecordingAsync(recording).ConfigureAwait(false);
                await _store.CompleteRecordingAsync(recording.Id, ToCompletion(result)).ConfigureAwait(false);
            }
            catch (Exception e) when (e is ArgumentException or FormatException or MetadataStoreException or ObjectDisposedException or InvalidOperationException)
            {
                _log.Error("Recording {RecordingId} of call {CallId} not stored: {Error}", result.RecordingId, callId, e.Message);
            }
        }
    }

    /// <summary>The call row of an ended call; a prospect number that is not E.164 (an agent's extension, "anonymous") is left out.</summary>
    public static CallRecord ToCallRecord(B2buaCall call, DateTimeOffset endedAt, IReadOnlyList<RecordingResult> recordings)
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
            ProspectNumber = IsE164(call.Plan.ProspectNumber) ? call.Plan.ProspectNumber : null,
            StartedAt = call.StartedAt,
            AnsweredAt = call.AnsweredAt,
            EndedAt = endedAt < call.StartedAt ? call.StartedAt : endedAt,
            EndReason = call.EndReason?.ToString(),
            Announcement = announcement,

            // A refused recording left nothing recorded of the call, only the record of the refusal.
            Recorded = recordings.Any(r => r.Opposition is null),
        };
    }

    /// <summary>
    /// The recording row of a finished recording; null when the store cannot hold it (a number not
    /// in E.164, no legal basis or retention). A recording refused before any audio has no key nor
    /// file; one refused later is added with them and completed without (the store forgets them).
    /// </summary>
    public static NewRecording? ToNewRecording(RecordingResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (!IsE164(result.ProspectNumber) || result.LegalBasis is not { } basis || result.RetentionDeadline is not { } retention)
        {
            return null;
        }

        return new NewRecording
        {
            Id = Guid.Parse(result.RecordingId),
            CallId = result.CallId,
            CampaignId = result.CampaignId,
            AgentId = result.Agent,
            ProspectNumber = result.ProspectNumber,
            StartedAt = result.StartedAt,
            RuleId = result.RuleId,
            Announcement = AnnouncementOf(result),
            Purposes = result.Purposes,
            LegalBasis = basis,
            RetentionUntil = retention,
            KeyId = result.KeyId,
            FilePath = result.FilePath,
        };
    }

    /// <summary>How a recording ended, for the store: a failed recording is incomplete; a refused one keeps only its refusal (no file, size, hash nor pauses).</summary>
    public static RecordingCompletion ToCompletion(RecordingResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        bool refused = result.Opposition is not null;
        return new RecordingCompletion
        {
            EndedAt = result.EndedAt,
            Duration = result.Duration,
            Status = result.Status == CallsRecordingStatus.Complete ? StoreRecordingStatus.Complete : StoreRecordingStatus.Incomplete,
            DroppedPackets = result.DroppedPackets,
            Pauses = refused ? [] : result.PauseSpans.Select(p => new RecordingPause(p.Start, p.End)).ToArray(),
            Opposition = result.Opposition,
            FileSize = refused ? null : result.FileSize,
            CiphertextSha256 = refused ? null : result.CiphertextSha256,
        };
    }

    private static AnnouncementPlayback? AnnouncementOf(RecordingResult result) =>
        result.AnnouncementSha256 is { } sha && result.AnnouncementEndedAt is { } at ? new AnnouncementPlayback(at, sha) : null;
}
