using System.Collections.Concurrent;
using CallSwitch.Compliance.Access;
using CallSwitch.Compliance.Erasure;
using CallSwitch.Compliance.Numbers;
using CallSwitch.Compliance.Storage;

namespace CallSwitch.Compliance.Requests;

/// <summary>
/// An erasure request's answer: every recording of the number goes through the one
/// <see cref="RecordingEraser"/> (as the retention sidecar's do), the ones a hold keeps are named
/// with the hold's reason, and the number is replaced by its keyed hash in the call rows.
/// </summary>
internal sealed class NumberErasure
{
    private const int Parallelism = 8;

    private readonly SubjectRequestService _service;
    private readonly IMetadataStore _store;
    private readonly Principal _who;
    private readonly TimeProvider _time;

    public NumberErasure(SubjectRequestService service, IMetadataStore store, Principal who, TimeProvider time)
    {
        _service = service;
        _store = store;
        _who = who;
        _time = time;
    }

    public async Task<RequestAnswer> EraseAsync(SubjectRequest request, string e164, CancellationToken cancellationToken)
    {
        RecordingEraser eraser = _service.Eraser
            ?? throw new RequestException("erasing needs the recordings' master key and the receipt signing key (none configured here)");
        string purpose = SubjectRequestService.PurposeOf(request.Id);
        NumberRecords records = await _store.FindByNumberAsync(e164, request.NumberDigest, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<LegalHold> holds = await _store.ListHoldsAsync(includeReleased: false, cancellationToken).ConfigureAwait(false);
        // Several at a time: the store's writer commits their steps together and the files' fsyncs overlap.
        var erasedNow = new ConcurrentDictionary<Guid, (ErasureOutcome Outcome, SignedErasureReceipt? Receipt)>();
        try
        {
            await Parallel.ForEachAsync(
                records.Live,
                new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
                async (recording, token) =>
                {
                    ErasureOutcome outcome = await eraser.EraseAsync(new ErasureRequest(recording.Id, _who.Name, purpose, $"request={request.Code}"), token).ConfigureAwait(false);
                    SignedErasureReceipt? receipt = outcome == ErasureOutcome.Erased ? await _store.GetReceiptAsync(recording.Id, token).ConfigureAwait(false) : null;
                    erasedNow[recording.Id] = (outcome, receipt);
                }).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            // The rows stay marked (not playable); answering the request again finishes them.
            throw new RequestException($"a recording could not be erased ({e.Message}); the request stays open, fulfil it again", e);
        }

        var lines = new List<string>();
        var receipts = new List<SignedErasureReceipt>();
        int erased = 0;
        int kept = 0;
        foreach (RecordingMetadata recording in records.Recordings)
        {
            string what = $"recording {recording.Id:D} ({recording.CampaignId}, {SubjectRequestService.Iso(recording.StartedAt)})";
            if (recording.IsErased)
            {
                lines.Add($"{what}: erased before, {SubjectRequestService.Iso(recording.Erasure!.At)} ({recording.Erasure.Reason})");
                continue;
            }

            (ErasureOutcome outcome, SignedErasureReceipt? receipt) = erasedNow[recording.Id];
            if (outcome == ErasureOutcome.OnLegalHold)
            {
                kept++;
                lines.Add($"{what}: KEPT, {HeldBecause(recording, holds, request.NumberDigest)}");
                continue;
            }

            erased++;
            if (receipt is not null)
            {
                receipts.Add(receipt);
            }

            lines.Add($"{what}: erased (file and key destroyed), receipt signed by key {receipt?.SigningKeyId ?? "-"}");
        }

        DateTimeOffset now = _time.GetUtcNow();
        int calls = await _store.RedactCallNumbersAsync(
            e164,
            request.NumberDigest,
            new AuditEvent(now, _who.Name, AuditAction.CallNumbersRedacted, null, purpose, $"number={PhoneNumberMask.Mask(e164)}"),
            cancellationToken).ConfigureAwait(false);
        lines.Add($"{calls} call row(s): number replaced by its keyed hash");
        string outcomeText = $"{erased} recording(s) erased, {kept} kept by a legal hold, {calls} call row(s) without the number";
        var audit = new AuditEvent(now, _who.Name, AuditAction.RequestFulfilled, null, purpose, outcomeText);
        SubjectRequest done = await _service.CloseAsync(request, RequestStatus.Done, outcomeText, keepNumber: false, audit, cancellationToken).ConfigureAwait(false);
        lines.Add(outcomeText);
        return new RequestAnswer(done, lines, receipts);
    }

    /// <summary>Why a recording is kept: every active hold covering it, with who asked and why.</summary>
    private string HeldBecause(RecordingMetadata recording, IReadOnlyList<LegalHold> holds, string digest)
    {
        DateTimeOffset now = _time.GetUtcNow();
        var reasons = new List<string>();
        if (recording.LegalHold)
        {
            reasons.Add("its own legal-hold flag");
        }

        foreach (LegalHold hold in holds.Where(h => h.IsActiveAt(now)))
        {
            NewLegalHold h = hold.Hold;
            bool covers = h.Scope switch
            {
                LegalHoldScope.Recording => h.RecordingId == recording.Id,
                LegalHoldScope.Call => h.CallId == recording.CallId,
                LegalHoldScope.Campaign => h.CampaignId == recording.CampaignId,
                LegalHoldScope.Number => h.NumberDigest == digest,
                _ => recording.StartedAt >= h.From && recording.StartedAt < h.Until,
            };
            if (covers)
            {
                reasons.Add($"legal hold {hold.Id:D} on {h.DescribeTarget()}: \"{h.Reason}\", requested by {h.RequestedBy}, placed by {h.PlacedBy} {SubjectRequestService.Iso(hold.PlacedAt)}");
            }
        }

        return reasons.Count == 0 ? "on legal hold" : string.Join("; ", reasons);
    }
}
