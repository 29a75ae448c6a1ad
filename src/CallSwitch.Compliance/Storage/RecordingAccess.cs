using CallSwitch.Compliance.Access;
using CallSwitch.Compliance.Requests;

namespace CallSwitch.Compliance.Storage;

/// <summary>
/// The one way people and tools reach recordings (CLI, HTTP API, web console, export): every
/// access is appended to the audit log — who, what, when, why, which recording — and committed
/// before anything is returned. If the audit entry cannot be written, the access fails.
/// </summary>
/// <remarks>Thread-safe; holds no state of its own.</remarks>
public sealed class RecordingAccess
{
    private readonly IRecordingStore _recordings;
    private readonly IAuditLog _audit;
    private readonly TimeProvider _time;
    private readonly AccessGuard? _guard;
    private readonly Func<string, string?> _teamOfAgent;
    private readonly IRestrictionLookup? _restrictions;

    /// <summary>Creates the access point over a store (usually the same <see cref="IMetadataStore"/> for both).</summary>
    public RecordingAccess(IRecordingStore recordings, IAuditLog audit, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(recordings);
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(time);
        _recordings = recordings;
        _audit = audit;
        _time = time;
        _teamOfAgent = _ => null;

        // The metadata store answers for restrictions too: a restricted recording is heard by the dpo alone.
        _restrictions = recordings as IRestrictionLookup;
    }

    /// <summary>
    /// Creates the access point with the authorisation service, for <see cref="OpenForListeningAsync"/>.
    /// </summary>
    /// <param name="recordings">The recordings.</param>
    /// <param name="audit">The audit log.</param>
    /// <param name="time">The clock.</param>
    /// <param name="guard">Decides, and audits denials.</param>
    /// <param name="teamOfAgent">The team of an agent's extension (from the configuration), null when none: supervisors' scope.</param>
    public RecordingAccess(IRecordingStore recordings, IAuditLog audit, TimeProvider time, AccessGuard guard, Func<string, string?> teamOfAgent)
        : this(recordings, audit, time)
    {
        ArgumentNullException.ThrowIfNull(guard);
        ArgumentNullException.ThrowIfNull(teamOfAgent);
        _guard = guard;
        _teamOfAgent = teamOfAgent;
    }

    /// <summary>
    /// Opens a recording's audio for a signed-in user: streaming, downloading and extracting are
    /// different rights, each decided by the authorisation service with the purpose given (one the
    /// campaign declares; a reason for a dispute; a data-subject request for a dpo). A denial is
    /// audited and thrown; an allowed access is audited (who, what, why, which recording) before the
    /// record is returned.
    /// </summary>
    /// <param name="principal">Who.</param>
    /// <param name="recordingId">The recording.</param>
    /// <param name="action">Stream, download or extract.</param>
    /// <param name="purpose">Why.</param>
    /// <param name="requestId">The data-subject request this is done within, if any.</param>
    /// <param name="detail">More (the export target); never audio or keys.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The recording, or null if no recording has this id.</returns>
    /// <exception cref="AccessDeniedException">The authorisation service refused; the denial is in the audit log.</exception>
    /// <exception cref="InvalidOperationException">The access point was made without an authorisation service.</exception>
    public async Task<RecordingMetadata?> OpenForListeningAsync(
        Principal? principal,
        Guid recordingId,
        AccessAction action,
        AccessPurpose? purpose,
        string? requestId = null,
        string? detail = null,
        CancellationToken cancellationToken = default)
    {
        AccessGuard guard = _guard ?? throw new InvalidOperationException("This RecordingAccess has no authorisation service.");
        AuditAction audited = action switch
        {
            AccessAction.Stream => AuditAction.Play,
            AccessAction.Download => AuditAction.Export,
            AccessAction.Extract => AuditAction.Extract,
            _ => throw new ArgumentException($"{action} is not an access to a recording's audio.", nameof(action)),
        };
        RecordingMetadata? recording = await _recordings.GetRecordingAsync(recordingId, cancellationToken).ConfigureAwait(false);
        if (recording is null)
        {
            return null;
        }

        var resource = new AccessResource
        {
            CampaignId = recording.CampaignId,
            Team = _teamOfAgent(recording.AgentId),
            AgentExtension = recording.AgentId,
            RecordingId = recordingId,
            RequestId = requestId,
            Restricted = recording.ProspectNumber is { } number && _restrictions is not null
                && await _restrictions.IsRestrictedAsync(number, cancellationToken).ConfigureAwait(false),
        };
        await guard.DemandAsync(principal, action, resource, purpose, cancellationToken).ConfigureAwait(false);
        await _audit.AppendAuditAsync(new AuditEvent(_time.GetUtcNow(), principal!.Name, audited, recordingId, Why(purpose, requestId), detail), cancellationToken)
            .ConfigureAwait(false);
        return recording;
    }

    /// <summary>
    /// Opens a recording for an access (view, export, play): appends the audit entry, then returns
    /// the record. Tombstones are returned too (their audio is gone: <see cref="RecordingMetadata.FilePath"/> is null).
    /// </summary>
    /// <param name="recordingId">The recording.</param>
    /// <param name="actor">Who is accessing it.</param>
    /// <param name="purpose">Why (stated by the actor, e.g. "quality review", "data-subject request 2024-17").</param>
    /// <param name="action">What is done: view, export or play.</param>
    /// <param name="detail">More about the access (export target); never audio or keys.</param>
    /// <param name="cancellationToken">Cancels the wait; an entry already queued is still written.</param>
    /// <returns>The recording, or null if no recording has this id (nothing is audited then: nothing was disclosed).</returns>
    /// <exception cref="ArgumentException">The actor or purpose is blank, or the action is not an access.</exception>
    public async Task<RecordingMetadata?> OpenForAccessAsync(
        Guid recordingId,
        string actor,
        string purpose,
        AuditAction action = AuditAction.View,
        string? detail = null,
        CancellationToken cancellationToken = default)
    {
        StoreValidation.Required(actor, "actor");
        StoreValidation.Required(purpose, "purpose");
        if (action is not (AuditAction.View or AuditAction.Export or AuditAction.Play))
        {
            throw new ArgumentException($"{action} is not an access; erasure is RecordingEraser's, holds have their own methods.", nameof(action));
        }

        // Read first only to know whether the id exists: the audit log's entries refer to real
        // recordings. The record is not handed out until its audit entry is committed.
        RecordingMetadata? recording = await _recordings.GetRecordingAsync(recordingId, cancellationToken).ConfigureAwait(false);
        if (recording is null)
        {
            return null;
        }

        await _audit.AppendAuditAsync(new AuditEvent(_time.GetUtcNow(), actor, action, recordingId, purpose, detail), cancellationToken)
            .ConfigureAwait(false);
        return recording;
    }

    /// <summary>Why an access was made, as the audit log and an export's watermark write it: the purpose (and reason), and the request.</summary>
    public static string Why(AccessPurpose? purpose, string? requestId) => (purpose?.ToString(), requestId) switch
    {
        (null, { } request) => $"data-subject request {request}",
        ({ } stated, { } request) => $"{stated} (data-subject request {request})",
        ({ } stated, null) => stated,
        _ => AccessGuard.NoPurpose,
    };

    /// <summary>
    /// Searches recordings: the search (its criteria, not its results) is audited, then the page is returned.
    /// </summary>
    /// <exception cref="ArgumentException">The actor or purpose is blank, or the query is invalid.</exception>
    public async Task<RecordingPage> SearchAsync(RecordingQuery query, string actor, string purpose, CancellationToken cancellationToken = default)
    {
        StoreValidation.Query(query);
        StoreValidation.Required(actor, "actor");
        StoreValidation.Required(purpose, "purpose");
        await _audit.AppendAuditAsync(new AuditEvent(_time.GetUtcNow(), actor, AuditAction.Search, null, purpose, query.Describe()), cancellationToken)
            .ConfigureAwait(false);
        return await _recordings.SearchRecordingsAsync(query, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Places or releases a legal hold; audited by the store in the same transaction.</summary>
    public Task<bool> SetLegalHoldAsync(Guid recordingId, bool hold, string actor, string reason, CancellationToken cancellationToken = default)
    {
        StoreValidation.Required(actor, "actor");
        StoreValidation.Required(reason, "reason");
        return _recordings.SetLegalHoldAsync(recordingId, hold, actor, reason, cancellationToken);
    }
}
