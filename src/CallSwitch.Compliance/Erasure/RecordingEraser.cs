using CallSwitch.Compliance.Storage;

namespace CallSwitch.Compliance.Erasure;

/// <summary>
/// Erases one recording: the one operation retention and data-subject requests share. The steps
/// are ordered so that a crash (kill -9) at any instant leaves a state the next call finishes:
/// <list type="number">
/// <item>mark the row as being erased (from then on it is not playable; a hold still refuses here);</item>
/// <item>destroy the wrapped data key (crypto-shredding);</item>
/// <item>delete the file and fsync its folder;</item>
/// <item>turn the row into a tombstone (no key, no path, no number; the number's keyed hash),
/// with the audit entry and the signed deletion receipt, in one transaction.</item>
/// </list>
/// So there is never a file whose key is gone while its row says playable, nor a tombstone whose
/// file still exists. Every step is idempotent; a second call on a tombstone changes nothing.
/// </summary>
/// <remarks>Thread-safe; erasing the same recording concurrently is safe (the store's writer orders the writes) but pointless.</remarks>
public sealed class RecordingEraser
{
    private readonly IRecordingStore _recordings;
    private readonly IErasureStore _erasures;
    private readonly IRecordingShredder _shredder;
    private readonly INumberDigester _digester;
    private readonly IErasureReceiptSigner _signer;
    private readonly TimeProvider _time;
    private readonly Action<ErasureStep>? _afterStep;

    /// <summary>An eraser over the store, the vault's shredder and digester, and the receipt signer.</summary>
    /// <param name="recordings">Reads the row (its key, file, number).</param>
    /// <param name="erasures">Marks and tombstones the row.</param>
    /// <param name="shredder">Destroys the key and the file (the vault).</param>
    /// <param name="digester">The number's keyed hash (the vault).</param>
    /// <param name="signer">Signs the receipt.</param>
    /// <param name="time">The erasure's clock.</param>
    /// <param name="afterStep">Called after each step completes (tests inject a crash there).</param>
    public RecordingEraser(
        IRecordingStore recordings,
        IErasureStore erasures,
        IRecordingShredder shredder,
        INumberDigester digester,
        IErasureReceiptSigner signer,
        TimeProvider time,
        Action<ErasureStep>? afterStep = null)
    {
        ArgumentNullException.ThrowIfNull(recordings);
        ArgumentNullException.ThrowIfNull(erasures);
        ArgumentNullException.ThrowIfNull(shredder);
        ArgumentNullException.ThrowIfNull(digester);
        ArgumentNullException.ThrowIfNull(signer);
        ArgumentNullException.ThrowIfNull(time);
        _recordings = recordings;
        _erasures = erasures;
        _shredder = shredder;
        _digester = digester;
        _signer = signer;
        _time = time;
        _afterStep = afterStep;
    }

    /// <summary>Erases a recording, or finishes an erasure a crash interrupted.</summary>
    /// <returns>Erased; NotFound; AlreadyErased (nothing changed); OnLegalHold (nothing changed).</returns>
    /// <exception cref="ArgumentException">The actor or reason is blank.</exception>
    /// <exception cref="IOException">The key or the file cannot be destroyed: the row stays marked, not playable, and the next call retries.</exception>
    public async Task<ErasureOutcome> EraseAsync(ErasureRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        StoreValidation.Required(request.Actor, "actor");
        StoreValidation.Required(request.Reason, "reason");
        Guid id = request.RecordingId;
        RecordingMetadata? recording = await _recordings.GetRecordingAsync(id, cancellationToken).ConfigureAwait(false);
        if (recording is null)
        {
            return ErasureOutcome.NotFound;
        }

        if (recording.IsErased)
        {
            return ErasureOutcome.AlreadyErased;
        }

        if (recording.ErasingSince is null)
        {
            if (await _erasures.MarkErasingAsync(id, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false) is { } refused)
            {
                return refused;
            }

            After(ErasureStep.MarkedErasing);
        }

        // From here on no cancellation: a half-done erasure is finished by the next run anyway,
        // but stopping between steps for no reason only leaves more to finish.
        if (recording.KeyId is { } keyId)
        {
            _shredder.DestroyKey(keyId);
        }

        After(ErasureStep.KeyDestroyed);
        if (recording.FilePath is { } path)
        {
            _shredder.DeleteFile(path);
        }

        After(ErasureStep.FileDeleted);
        // Whole microseconds, as the store keeps instants: the receipt and the tombstone state the same one.
        DateTimeOffset now = _time.GetUtcNow();
        var at = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerMicrosecond), TimeSpan.Zero);
        var receipt = new ErasureReceipt(
            id,
            recording.CallId,
            recording.CampaignId,
            recording.StartedAt,
            recording.EndedAt,
            recording.CiphertextSha256,
            recording.KeyId,
            at,
            request.Reason,
            request.Actor);
        var audit = new AuditEvent(at, request.Actor, AuditAction.Erase, id, request.Reason, request.Detail);
        string? digest = recording.ProspectNumber is { } number ? _digester.Digest(number) : null;
        ErasureOutcome outcome = await _erasures.TombstoneAsync(new ErasureTombstone(id, digest, audit, _signer.Sign(receipt)), CancellationToken.None)
            .ConfigureAwait(false);
        After(ErasureStep.Tombstoned);
        return outcome;
    }

    private void After(ErasureStep step) => _afterStep?.Invoke(step);
}
