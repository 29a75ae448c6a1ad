using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CallSwitch.Compliance.Access;
using CallSwitch.Compliance.Erasure;
using CallSwitch.Compliance.Storage;

namespace CallSwitch.Compliance.Requests;

/// <summary>
/// An access request's answer: one zip for the person, written owner-only — their recordings
/// decrypted (Ogg Opus, watermarked with the request), <c>summary.json</c> and <c>summary.txt</c>
/// (every call and recording of the number: dates, campaign, purposes, legal basis, retention
/// deadline, agent's id, pauses, who listened and when), and the tombstones of the recordings
/// already erased with their signed receipts. Each recording is opened through
/// <see cref="RecordingAccess"/> (authorised for the dpo within the request, audited); the
/// bundle's writing is audited with its SHA-256.
/// </summary>
internal sealed class AccessBundleWriter
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    private readonly SubjectRequestService _service;
    private readonly IMetadataStore _store;
    private readonly Principal _who;
    private readonly TimeProvider _time;

    public AccessBundleWriter(SubjectRequestService service, IMetadataStore store, Principal who, TimeProvider time)
    {
        _service = service;
        _store = store;
        _who = who;
        _time = time;
    }

    public async Task<RequestAnswer> WriteAsync(SubjectRequest request, string e164, string? path, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new RequestException("an access request is answered with a bundle: give --out FILE.zip");
        }

        IRecordingAudio audio = _service.Audio ?? throw new RequestException("the bundle needs the recordings' master key (none configured here)");
        string target = Path.GetFullPath(path);
        if (File.Exists(target))
        {
            throw new RequestException($"{target} exists: not overwritten");
        }

        NumberRecords records = await _store.FindByNumberAsync(e164, request.NumberDigest, cancellationToken).ConfigureAwait(false);

        // Who heard what, read before this bundle's own exports are audited.
        var listens = new Dictionary<Guid, IReadOnlyList<AuditEntry>>();
        foreach (RecordingMetadata recording in records.Recordings)
        {
            IReadOnlyList<AuditEntry> entries = await _store.ReadAuditForRecordingAsync(recording.Id, cancellationToken).ConfigureAwait(false);
            listens[recording.Id] = [.. entries.Where(e => e.Event.Action is AuditAction.Play or AuditAction.Export or AuditAction.Extract)];
        }

        string partial = target + ".partial";
        DateTimeOffset now = _time.GetUtcNow();
        var files = new Dictionary<Guid, string>();
        try
        {
            await using (FileStream file = OwnerOnly(partial))
            {
                using (var zip = new ZipArchive(file, ZipArchiveMode.Create, leaveOpen: true))
                {
                    RecordingAccess access = _service.OpenAccess();
                    foreach (RecordingMetadata recording in records.Live.Where(r => r.IsPlayable))
                    {
                        await access.OpenForListeningAsync(_who, recording.Id, AccessAction.Download, null, request.Code, $"to access bundle {target}", cancellationToken)
                            .ConfigureAwait(false);
                        string name = $"recordings/{recording.Id:D}.ogg";
                        await using (Stream entry = zip.CreateEntry(name, CompressionLevel.NoCompression).Open())
                        {
                            KeyValuePair<string, string>[] tags =
                            [
                                new("EXPORTED_BY", _who.Name),
                                new("EXPORTED_AT", SubjectRequestService.Iso(now)),
                                new("EXPORT_PURPOSE", SubjectRequestService.PurposeOf(request.Id)),
                            ];
                            await audio.WriteAsync(recording, entry, tags, cancellationToken).ConfigureAwait(false);
                        }

                        files[recording.Id] = name;
                    }

                    foreach (RecordingMetadata tombstone in records.Erased)
                    {
                        if (await _store.GetReceiptAsync(tombstone.Id, cancellationToken).ConfigureAwait(false) is { } receipt)
                        {
                            Add(zip, $"erased/{tombstone.Id:D}.json", receipt.Document);
                            Add(zip, $"erased/{tombstone.Id:D}.json.sig", receipt.Signature);
                            files[tombstone.Id] = $"erased/{tombstone.Id:D}.json";
                        }
                    }

                    if (_service.ReceiptPublicKeyPem is { } pem && records.Erased.Any())
                    {
                        Add(zip, "erased/receipt-signing.pub.pem", Encoding.ASCII.GetBytes(pem));
                    }

                    object summary = Summary(request, e164, now, records, listens, files);
                    Add(zip, "summary.json", JsonSerializer.SerializeToUtf8Bytes(summary, Json));
                    Add(zip, "summary.txt", Encoding.UTF8.GetBytes(AccessSummaryText.Write(request, e164, now, records, listens, files)));
                }

                await file.FlushAsync(cancellationToken).ConfigureAwait(false);
                file.Flush(flushToDisk: true);
            }

            File.Move(partial, target);
        }
        catch (AccessDeniedException denied)
        {
            TryDelete(partial);
            throw new RequestException($"the bundle was refused: {denied.Message} (nothing written)", denied);
        }
        catch
        {
            TryDelete(partial);
            throw;
        }

        string sha256;
        await using (FileStream written = File.OpenRead(target))
        {
            sha256 = Convert.ToHexStringLower(await SHA256.HashDataAsync(written, cancellationToken).ConfigureAwait(false));
        }

        int recordings = files.Count(f => f.Value.StartsWith("recordings/", StringComparison.Ordinal));
        int tombstones = records.Erased.Count();
        string detail = $"file={target} sha256={sha256} calls={records.Calls.Count} recordings={recordings} tombstones={tombstones}";
        string purpose = SubjectRequestService.PurposeOf(request.Id);
        await _store.AppendAuditAsync(new AuditEvent(_time.GetUtcNow(), _who.Name, AuditAction.RequestBundleWritten, null, purpose, detail), cancellationToken)
            .ConfigureAwait(false);
        string outcome = $"bundle sent: {records.Calls.Count} call(s), {recordings} recording(s), {tombstones} erased recording(s); SHA-256 {sha256}";
        var audit = new AuditEvent(_time.GetUtcNow(), _who.Name, AuditAction.RequestFulfilled, null, purpose, outcome);
        SubjectRequest done = await _service.CloseAsync(request, RequestStatus.Done, outcome, keepNumber: false, audit, cancellationToken).ConfigureAwait(false);
        return new RequestAnswer(done, [$"wrote {target} (owner-only)", outcome], []);
    }

    private static object Summary(
        SubjectRequest request,
        string e164,
        DateTimeOffset now,
        NumberRecords records,
        Dictionary<Guid, IReadOnlyList<AuditEntry>> listens,
        Dictionary<Guid, string> files) => new
        {
            request = request.Code,
            kind = SubjectRequestService.Code(request.Kind),
            number = e164,
            receivedAt = request.ReceivedAt,
            dueAt = request.DueAt,
            answeredAt = now,
            calls = records.Calls.Select(c => new
            {
                callId = c.CallId,
                direction = EnumWords.Of(c.Direction),
                campaign = c.CampaignId,
                agentId = c.AgentId,
                startedAt = c.StartedAt,
                answeredAt = c.AnsweredAt,
                endedAt = c.EndedAt,
                endReason = c.EndReason,
                noticePlayedAt = c.Announcement?.At,
                recorded = c.Recorded,
            }),
            recordings = records.Live.Select(r => new
            {
                recordingId = r.Id,
                callId = r.CallId,
                campaign = r.CampaignId,
                agentId = r.AgentId,
                startedAt = r.StartedAt,
                endedAt = r.EndedAt,
                durationSeconds = r.Duration?.TotalSeconds,
                purposes = r.Purposes,
                legalBasis = EnumWords.Of(r.LegalBasis),
                retentionUntil = r.RetentionUntil,
                status = EnumWords.Of(r.Status),
                pauses = r.Pauses.Select(p => new { startSeconds = p.Start.TotalSeconds, endSeconds = p.End?.TotalSeconds }),
                refusedBy = r.Opposition is { } o ? EnumWords.Of(o.By) : null,
                file = files.GetValueOrDefault(r.Id),
                heardBy = listens[r.Id].Select(Listen),
            }),
            erased = records.Erased.Select(r => new
            {
                recordingId = r.Id,
                callId = r.CallId,
                campaign = r.CampaignId,
                startedAt = r.StartedAt,
                erasedAt = r.Erasure!.At,
                reason = r.Erasure.Reason,
                receipt = files.GetValueOrDefault(r.Id),
                heardBy = listens[r.Id].Select(Listen),
            }),
        };

    private static object Listen(AuditEntry entry) => new { at = entry.Event.At, by = entry.Event.Actor, action = EnumWords.Of(entry.Event.Action), purpose = entry.Event.Purpose };

    private static void Add(ZipArchive zip, string name, byte[] content)
    {
        using Stream entry = zip.CreateEntry(name, CompressionLevel.Optimal).Open();
        entry.Write(content);
    }

    private static FileStream OwnerOnly(string path)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.ReadWrite };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return new FileStream(path, options);
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The error being thrown is what the caller needs.
        }
    }
}
