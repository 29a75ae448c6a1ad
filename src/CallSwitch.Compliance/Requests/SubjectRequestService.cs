using System.Globalization;
using CallSwitch.Compliance.Access;
using CallSwitch.Compliance.Erasure;
using CallSwitch.Compliance.Numbers;
using CallSwitch.Compliance.Storage;

namespace CallSwitch.Compliance.Requests;

/// <summary>
/// Data-subject requests (GDPR Art. 15, 17, 18, 21) from entry to answer: open, list, show,
/// reject, fulfil (access bundle, erasure, restriction, objection), lift a restriction, and
/// "was I recorded?". The one place the CLI and the web console call; every step is decided by
/// the authorisation service (the right to handle requests) and audited under the acting user,
/// with the request as the purpose (<c>data-subject request DSR-17</c>).
/// </summary>
/// <remarks>Thread-safe; holds no state of its own. Bad input and impossible steps throw <see cref="RequestException"/> before anything is changed.</remarks>
public sealed class SubjectRequestService
{
    /// <summary>
    /// The data folder's subfolder where the console writes access bundles for the DPO to send;
    /// the retention sidecar deletes them after <c>retention.access_bundle_days</c>.
    /// </summary>
    public const string BundleFolder = "bundles";

    /// <summary>The time the GDPR gives to answer (one month; the seed's target is 30 days).</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromDays(30);

    private readonly IMetadataStore _store;
    private readonly INumberDigester _digester;
    private readonly PhoneNumberNormalizer _normalizer;
    private readonly AccessGuard _guard;
    private readonly TimeProvider _time;

    /// <summary>Creates the service.</summary>
    /// <param name="store">The metadata store.</param>
    /// <param name="digester">The numbers' keyed hash (the vault).</param>
    /// <param name="normalizer">Numbers as people write them → E.164 (the switch's country).</param>
    /// <param name="guard">The authorisation service, auditing denials.</param>
    /// <param name="time">The clock.</param>
    public SubjectRequestService(IMetadataStore store, INumberDigester digester, PhoneNumberNormalizer normalizer, AccessGuard guard, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(digester);
        ArgumentNullException.ThrowIfNull(normalizer);
        ArgumentNullException.ThrowIfNull(guard);
        ArgumentNullException.ThrowIfNull(time);
        _store = store;
        _digester = digester;
        _normalizer = normalizer;
        _guard = guard;
        _time = time;
    }

    /// <summary>Erases recordings (erasure requests); without it they are refused.</summary>
    public RecordingEraser? Eraser { get; init; }

    /// <summary>Writes recordings' audio into access bundles; without it they are refused.</summary>
    public IRecordingAudio? Audio { get; init; }

    /// <summary>The public key (PEM) deletion receipts verify with, put in bundles beside the receipts.</summary>
    public string? ReceiptPublicKeyPem { get; init; }

    /// <summary>The team of an agent's extension (supervisors' scopes); none by default.</summary>
    public Func<string, string?> TeamOfAgent { get; init; } = _ => null;

    /// <summary>The purpose every audit entry of a request carries.</summary>
    public static string PurposeOf(long id) => RecordingAccess.Why(null, SubjectRequest.CodeOf(id));

    /// <summary>
    /// Enters a request. The number in any written form becomes E.164; due = received + 30 days.
    /// An access, erasure or restriction about a number the store knows nothing of is refused (the
    /// answer is then "nothing is held", see <see cref="WasRecordedAsync"/>); an objection is always taken.
    /// </summary>
    /// <exception cref="RequestException">The number cannot be read, the date is in the future, a campaign is given to another kind than objection, or there is no data.</exception>
    /// <exception cref="AccessDeniedException">The user may not handle requests.</exception>
    public async Task<SubjectRequest> OpenAsync(
        Principal? who, RequestKind kind, string number, string? reference, DateTimeOffset? receivedAt, string? campaignId, CancellationToken cancellationToken = default)
    {
        await DemandAsync(who, cancellationToken).ConfigureAwait(false);
        string e164 = Normalize(number);
        DateTimeOffset now = _time.GetUtcNow();
        DateTimeOffset received = receivedAt ?? now;
        if (received > now)
        {
            throw new RequestException($"received {Iso(received)} is in the future");
        }

        if (campaignId is not null && kind != RequestKind.Objection)
        {
            throw new RequestException("--campaign applies to an objection only (the other rights cover every campaign)");
        }

        string digest = _digester.Digest(e164);
        if (kind != RequestKind.Objection)
        {
            NumberRecords records = await _store.FindByNumberAsync(e164, digest, cancellationToken).ConfigureAwait(false);
            if (records.IsEmpty)
            {
                throw new RequestException($"no call nor recording of {PhoneNumberMask.Mask(e164)} is stored: nothing to {Verb(kind)}; answer that no data is held (no request opened)");
            }
        }

        var request = new NewSubjectRequest(kind, e164, digest, campaignId, reference, received, received + Deadline, now, who!.Name);
        return await _store.OpenRequestAsync(
            request,
            id => new AuditEvent(
                now,
                who.Name,
                AuditAction.RequestOpened,
                null,
                PurposeOf(id),
                $"kind={Code(kind)} number={PhoneNumberMask.Mask(e164)} received={Iso(received)} due={Iso(received + Deadline)}{(campaignId is null ? string.Empty : " campaign=" + campaignId)}"),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The requests, oldest due first; only those in <paramref name="status"/>, only the overdue ones, when asked.</summary>
    public async Task<IReadOnlyList<SubjectRequest>> ListAsync(Principal? who, RequestStatus? status, bool overdue, CancellationToken cancellationToken = default)
    {
        await DemandAsync(who, cancellationToken).ConfigureAwait(false);
        return await _store.ListRequestsAsync(status, overdue ? _time.GetUtcNow() : null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A request and everything done within it, from the audit log.</summary>
    /// <exception cref="RequestException">No request has this id.</exception>
    public async Task<(SubjectRequest Request, IReadOnlyList<AuditEntry> Steps)> ShowAsync(Principal? who, long id, CancellationToken cancellationToken = default)
    {
        await DemandAsync(who, cancellationToken).ConfigureAwait(false);
        SubjectRequest request = await GetAsync(id, cancellationToken).ConfigureAwait(false);
        return (request, await _store.ReadAuditForRequestAsync(id, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Refuses an open request, with the reason (written in the request and the audit log).</summary>
    /// <exception cref="RequestException">Unknown, not open, or no reason.</exception>
    public async Task<SubjectRequest> RejectAsync(Principal? who, long id, string reason, CancellationToken cancellationToken = default)
    {
        await DemandAsync(who, cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new RequestException("a rejection needs its reason");
        }

        SubjectRequest request = await OpenRequestAsync(id, cancellationToken).ConfigureAwait(false);
        var audit = new AuditEvent(_time.GetUtcNow(), who!.Name, AuditAction.RequestRejected, null, PurposeOf(id), "reason=" + reason);
        return await CloseAsync(request, RequestStatus.Rejected, reason, keepNumber: false, audit, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Answers an open request: an access writes the bundle to <paramref name="bundlePath"/> (required
    /// then); an erasure erases every recording of the number a hold does not keep and takes the number
    /// off the call rows; a restriction freezes the recordings (a hold on the number, listening for the
    /// dpo only) until lifted; an objection puts the number on the do-not-call list.
    /// </summary>
    /// <exception cref="RequestException">Unknown, already answered, or missing what the kind needs.</exception>
    public async Task<RequestAnswer> FulfilAsync(Principal? who, long id, string? bundlePath, CancellationToken cancellationToken = default)
    {
        await DemandAsync(who, cancellationToken).ConfigureAwait(false);
        SubjectRequest request = await OpenRequestAsync(id, cancellationToken).ConfigureAwait(false);
        string e164 = request.Number ?? throw new RequestException($"{request.Code} has no number left to act on");
        return request.Kind switch
        {
            RequestKind.Access => await new AccessBundleWriter(this, _store, who!, _time).WriteAsync(request, e164, bundlePath, cancellationToken).ConfigureAwait(false),
            RequestKind.Erasure => await new NumberErasure(this, _store, who!, _time).EraseAsync(request, e164, cancellationToken).ConfigureAwait(false),
            RequestKind.Restriction => await RestrictAsync(who!, request, cancellationToken).ConfigureAwait(false),
            _ => await ObjectAsync(who!, request, e164, cancellationToken).ConfigureAwait(false),
        };
    }

    /// <summary>Lifts a restriction in force: the number's recordings may be heard and purged again.</summary>
    /// <exception cref="RequestException">Unknown, or no restriction in force.</exception>
    public async Task<SubjectRequest> LiftAsync(Principal? who, long id, string reason, CancellationToken cancellationToken = default)
    {
        await DemandAsync(who, cancellationToken).ConfigureAwait(false);
        SubjectRequest request = await GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (!request.RestrictionInForce)
        {
            throw new RequestException($"{request.Code} is no restriction in force ({Code(request.Kind)}, {Code(request.Status)}{(request.LiftedAt is { } l ? ", lifted " + Iso(l) : string.Empty)})");
        }

        string holdReason = RestrictionHoldReason(request);
        foreach (LegalHold hold in await _store.ListHoldsAsync(includeReleased: false, cancellationToken).ConfigureAwait(false))
        {
            if (hold.Hold.Reason == holdReason)
            {
                await _store.ReleaseHoldAsync(hold.Id, who!.Name, $"{request.Code} lifted: {reason}", cancellationToken).ConfigureAwait(false);
            }
        }

        var audit = new AuditEvent(_time.GetUtcNow(), who!.Name, AuditAction.RestrictionLifted, null, PurposeOf(id), "reason=" + reason);
        await _store.LiftRestrictionAsync(id, audit, cancellationToken).ConfigureAwait(false);
        return await GetAsync(id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>"Was I recorded?": how many recordings of the number are held, how many were erased and when (from the tombstones' keyed hash).</summary>
    /// <exception cref="RequestException">The number cannot be read.</exception>
    public async Task<RecordedAnswer> WasRecordedAsync(Principal? who, string number, CancellationToken cancellationToken = default)
    {
        await DemandAsync(who, cancellationToken).ConfigureAwait(false);
        string e164 = Normalize(number);
        NumberRecords records = await _store.FindByNumberAsync(e164, _digester.Digest(e164), cancellationToken).ConfigureAwait(false);
        return new RecordedAnswer(
            records.Calls.Count,
            records.Live.Count(),
            [.. records.Erased.Select(r => r.Erasure!.At).Order()]);
    }

    /// <summary>The E.164 form of a number as written, or why not.</summary>
    /// <exception cref="RequestException">Not a phone number.</exception>
    public string Normalize(string number) =>
        _normalizer.TryNormalize(number, out string? e164, out string? reason)
            ? e164
            : throw new RequestException($"not a phone number: {number} ({reason})");

    /// <summary>The request's kind as written on the command line and in the audit log.</summary>
    public static string Code(RequestKind kind) => EnumWords.Of(kind);

    /// <summary>The status as written.</summary>
    public static string Code(RequestStatus status) => EnumWords.Of(status);

    /// <summary>An instant as written in answers: <c>2026-12-07T04:00:00Z</c>.</summary>
    public static string Iso(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>The reason of the legal hold a restriction places (how it is found again to lift it).</summary>
    internal static string RestrictionHoldReason(SubjectRequest request) => $"restriction {request.Code} (GDPR Art. 18)";

    /// <summary>Closes the request; throws if another answer closed it meanwhile.</summary>
    internal async Task<SubjectRequest> CloseAsync(SubjectRequest request, RequestStatus status, string outcome, bool keepNumber, AuditEvent audit, CancellationToken cancellationToken)
    {
        if (!await _store.CloseRequestAsync(request.Id, status, outcome, keepNumber, audit, cancellationToken).ConfigureAwait(false))
        {
            throw new RequestException($"{request.Code} was answered meanwhile: nothing more changed");
        }

        return await GetAsync(request.Id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The access point that audits every recording heard or exported within a request.</summary>
    internal RecordingAccess OpenAccess() => new(_store, _store, _time, _guard, TeamOfAgent);

    /// <summary>The number's keyed hash.</summary>
    internal string Digest(string e164) => _digester.Digest(e164);

    private async Task<RequestAnswer> RestrictAsync(Principal who, SubjectRequest request, CancellationToken cancellationToken)
    {
        // A hold on the number: the sidecar and every erasure already honour it (and report it), for
        // future recordings of the number too; listening is refused to all but the dpo (RecordingAccess).
        LegalHold hold = await _store.PlaceHoldAsync(
            new NewLegalHold
            {
                Scope = LegalHoldScope.Number,
                NumberDigest = request.NumberDigest,
                Reason = RestrictionHoldReason(request),
                RequestedBy = "data subject" + (request.Reference is { } r ? $" ({r})" : string.Empty),
                PlacedBy = who.Name,
            },
            cancellationToken).ConfigureAwait(false);
        string outcome = $"recordings frozen until lifted (hold {hold.Id:D}): no purge, listening by the dpo only";
        var audit = new AuditEvent(_time.GetUtcNow(), who.Name, AuditAction.RequestFulfilled, null, PurposeOf(request.Id), outcome);
        SubjectRequest done = await CloseAsync(request, RequestStatus.Done, outcome, keepNumber: true, audit, cancellationToken).ConfigureAwait(false);
        return new RequestAnswer(done, [outcome], []);
    }

    private async Task<RequestAnswer> ObjectAsync(Principal who, SubjectRequest request, string e164, CancellationToken cancellationToken)
    {
        DateTimeOffset now = _time.GetUtcNow();
        var entry = new DoNotCallEntry(e164, request.CampaignId, now, who.Name, request.Code);
        string scope = request.CampaignId is { } c ? "campaign " + c : "every campaign";
        await _store.AddDoNotCallAsync(
            [entry],
            new AuditEvent(now, who.Name, AuditAction.DoNotCallChanged, null, PurposeOf(request.Id), $"number={PhoneNumberMask.Mask(e164)} scope={request.CampaignId ?? "all"}"),
            cancellationToken).ConfigureAwait(false);
        string outcome = $"on the do-not-call list for {scope}: outbound calls refused (603), inbound calls not recorded";
        var audit = new AuditEvent(now, who.Name, AuditAction.RequestFulfilled, null, PurposeOf(request.Id), outcome);
        SubjectRequest done = await CloseAsync(request, RequestStatus.Done, outcome, keepNumber: false, audit, cancellationToken).ConfigureAwait(false);
        return new RequestAnswer(done, [outcome], []);
    }

    private async Task<SubjectRequest> GetAsync(long id, CancellationToken cancellationToken) =>
        await _store.GetRequestAsync(id, cancellationToken).ConfigureAwait(false) ?? throw new RequestException($"no request {SubjectRequest.CodeOf(id)}");

    private async Task<SubjectRequest> OpenRequestAsync(long id, CancellationToken cancellationToken)
    {
        SubjectRequest request = await GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (request.Status != RequestStatus.Open)
        {
            throw new RequestException($"{request.Code} is already {Code(request.Status)} ({Iso(request.ClosedAt!.Value)} by {request.ClosedBy}): nothing changed");
        }

        return request;
    }

    private async Task DemandAsync(Principal? who, CancellationToken cancellationToken) =>
        await _guard.DemandAsync(who, AccessAction.Requests, AccessResource.System, null, cancellationToken).ConfigureAwait(false);

    private static string Verb(RequestKind kind) => kind switch
    {
        RequestKind.Access => "send",
        RequestKind.Erasure => "erase",
        _ => "restrict",
    };
}
