using CallSwitch.Compliance.Erasure;
using CallSwitch.Compliance.Storage;
using CallSwitch.Compliance.Storage.Sqlite;
using CallSwitch.Compliance.Tests.Storage;

namespace CallSwitch.Compliance.Tests.Erasure;

public sealed class RecordingEraserTests : IDisposable
{
    private readonly TempDataDirectory _directory = new();
    private readonly FakeVault _vault = new();
    private readonly EcdsaReceiptSigner _signer;

    public RecordingEraserTests()
    {
        _signer = EcdsaReceiptSigner.OpenOrCreate(Path.Combine(_directory.Path, EcdsaReceiptSigner.KeyFileName));
    }

    public void Dispose()
    {
        _signer.Dispose();
        _directory.Dispose();
    }

    [Fact]
    public async Task Erasing_destroys_the_key_and_the_file_and_leaves_a_tombstone_with_its_audit_entry_and_a_valid_receipt()
    {
        await using SqliteMetadataStore store = Open();
        (NewRecording recording, string file) = await AddPlayableAsync(store);

        ErasureOutcome outcome = await Eraser(store).EraseAsync(Request(recording.Id));

        Assert.Equal(ErasureOutcome.Erased, outcome);
        await AssertErasedAsync(store, recording, file);
    }

    [Theory]
    [InlineData(ErasureStep.MarkedErasing)]
    [InlineData(ErasureStep.KeyDestroyed)]
    [InlineData(ErasureStep.FileDeleted)]
    [InlineData(ErasureStep.Tombstoned)]
    public async Task A_crash_after_any_step_leaves_a_safe_state_that_the_next_run_finishes(ErasureStep crashAfter)
    {
        NewRecording recording;
        string file;
        await using (SqliteMetadataStore store = Open())
        {
            (recording, file) = await AddPlayableAsync(store);
            RecordingEraser crashing = Eraser(store, step =>
            {
                if (step == crashAfter)
                {
                    throw new SimulatedCrashException();
                }
            });

            await Assert.ThrowsAsync<SimulatedCrashException>(() => crashing.EraseAsync(Request(recording.Id)));
        }

        // The process is gone; what is on disk and in the database must be coherent.
        await using (SqliteMetadataStore store = Open())
        {
            RecordingMetadata row = (await store.GetRecordingAsync(recording.Id))!;
            Assert.False(row.IsPlayable);
            Assert.NotNull(row.ErasingSince);
            if (!_vault.HasKey(recording.KeyId!.Value))
            {
                // Never a key gone while the row says playable.
                Assert.False(row.IsPlayable);
            }

            if (row.IsErased)
            {
                // Never a tombstone whose file still exists.
                Assert.False(File.Exists(file));
            }

            Assert.Equal(crashAfter < ErasureStep.KeyDestroyed, _vault.HasKey(recording.KeyId!.Value));
            Assert.Equal(crashAfter < ErasureStep.FileDeleted, File.Exists(file));
            Assert.Equal(crashAfter == ErasureStep.Tombstoned, row.IsErased);

            ErasureOutcome second = await Eraser(store).EraseAsync(Request(recording.Id));

            Assert.Equal(crashAfter == ErasureStep.Tombstoned ? ErasureOutcome.AlreadyErased : ErasureOutcome.Erased, second);
            await AssertErasedAsync(store, recording, file);

            Assert.Equal(ErasureOutcome.AlreadyErased, await Eraser(store).EraseAsync(Request(recording.Id)));
            await AssertErasedAsync(store, recording, file);
        }
    }

    [Fact]
    public async Task A_held_recording_is_kept_whole()
    {
        await using SqliteMetadataStore store = Open();
        (NewRecording recording, string file) = await AddPlayableAsync(store);
        Assert.True(await store.SetLegalHoldAsync(recording.Id, true, "dpo", "litigation 2025-4"));

        Assert.Equal(ErasureOutcome.OnLegalHold, await Eraser(store).EraseAsync(Request(recording.Id)));

        RecordingMetadata row = (await store.GetRecordingAsync(recording.Id))!;
        Assert.True(row.IsPlayable);
        Assert.True(File.Exists(file));
        Assert.True(_vault.HasKey(recording.KeyId!.Value));
        Assert.Null(await store.GetReceiptAsync(recording.Id));
    }

    [Fact]
    public async Task An_erasure_begun_before_a_hold_was_placed_is_finished_since_its_key_may_be_gone()
    {
        await using SqliteMetadataStore store = Open();
        (NewRecording recording, string file) = await AddPlayableAsync(store);
        RecordingEraser crashing = Eraser(store, step => throw new SimulatedCrashException());
        await Assert.ThrowsAsync<SimulatedCrashException>(() => crashing.EraseAsync(Request(recording.Id)));
        Assert.True(await store.SetLegalHoldAsync(recording.Id, true, "dpo", "too late"));

        Assert.Equal(ErasureOutcome.Erased, await Eraser(store).EraseAsync(Request(recording.Id)));
        await AssertErasedAsync(store, recording, file);
    }

    [Fact]
    public async Task An_unknown_recording_is_not_found_and_nothing_is_written()
    {
        await using SqliteMetadataStore store = Open();

        Assert.Equal(ErasureOutcome.NotFound, await Eraser(store).EraseAsync(Request(Guid.NewGuid())));
        Assert.Empty(await store.ReadAuditAsync(0, 10));
    }

    [Fact]
    public async Task The_receipt_reads_back_as_what_was_erased()
    {
        var receipt = new ErasureReceipt(
            Guid.NewGuid(), "call-1", "acme-fr", StoreSamples.T0, StoreSamples.T0.AddMinutes(2), StoreSamples.Sha('c'), Guid.NewGuid(),
            StoreSamples.T0.AddDays(91), "retention-expired", "retention");
        SignedErasureReceipt signed = _signer.Sign(receipt);

        Assert.Equal(receipt, ErasureReceipt.Parse(signed.Document));
        Assert.True(EcdsaReceiptSigner.Verify(signed.Document, signed.Signature, _signer.PublicKeyPem));
        byte[] tampered = (byte[])signed.Document.Clone();
        tampered[^3] ^= 1;
        Assert.False(EcdsaReceiptSigner.Verify(tampered, signed.Signature, _signer.PublicKeyPem));
        await Task.CompletedTask;
    }

    private static ErasureRequest Request(Guid id) => new(id, "retention", "retention-expired", "rule acme-fr/always, deadline 2025-06-12T09:00:00Z");

    private SqliteMetadataStore Open() => SqliteMetadataStore.Open(new SqliteMetadataStoreOptions { DataDirectory = _directory.Path });

    private RecordingEraser Eraser(SqliteMetadataStore store, Action<ErasureStep>? afterStep = null) =>
        new(store, store, _vault, _vault, _signer, TimeProvider.System, afterStep);

    private async Task<(NewRecording Recording, string File)> AddPlayableAsync(SqliteMetadataStore store)
    {
        Guid id = Guid.NewGuid();
        string callId = "call-" + id.ToString("N");
        string file = Path.Combine(_directory.Path, "spool", id.ToString("D") + ".ogg.enc");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await File.WriteAllBytesAsync(file, [1, 2, 3, 4]);
        await store.SaveCallAsync(StoreSamples.Call(callId));
        NewRecording recording = StoreSamples.Recording(id, callId) with { FilePath = file };
        await store.AddRecordingAsync(recording);
        Assert.True(await store.CompleteRecordingAsync(id, StoreSamples.Completion(recording.StartedAt)));
        _vault.AddKey(recording.KeyId!.Value);
        return (recording, file);
    }

    private async Task AssertErasedAsync(SqliteMetadataStore store, NewRecording recording, string file)
    {
        Assert.False(File.Exists(file));
        Assert.False(_vault.HasKey(recording.KeyId!.Value));
        RecordingMetadata row = (await store.GetRecordingAsync(recording.Id))!;
        Assert.True(row.IsErased);
        Assert.Null(row.KeyId);
        Assert.Null(row.FilePath);
        Assert.Null(row.ProspectNumber);
        Assert.Equal(_vault.Digest(recording.ProspectNumber), row.ProspectNumberDigest);
        Assert.Equal("retention-expired", row.Erasure!.Reason);
        Assert.Equal("retention", row.Erasure.By);

        AuditEntry erase = Assert.Single(await store.ReadAuditForRecordingAsync(recording.Id), e => e.Event.Action == AuditAction.Erase);
        Assert.Equal("retention", erase.Event.Actor);
        Assert.Equal("retention-expired", erase.Event.Purpose);
        Assert.Contains("rule acme-fr/always", erase.Event.Detail);

        SignedErasureReceipt receipt = (await store.GetReceiptAsync(recording.Id))!;
        Assert.True(EcdsaReceiptSigner.Verify(receipt.Document, receipt.Signature, _signer.PublicKeyPem));
        ErasureReceipt stated = ErasureReceipt.Parse(receipt.Document);
        Assert.Equal(recording.Id, stated.RecordingId);
        Assert.Equal(recording.CallId, stated.CallId);
        Assert.Equal(recording.KeyId, stated.KeyId);
        Assert.Equal(StoreSamples.Sha('c'), stated.CiphertextSha256);
        Assert.Equal(row.Erasure.At, stated.ErasedAt);
        Assert.DoesNotContain(recording.ProspectNumber, System.Text.Encoding.UTF8.GetString(receipt.Document));
    }
}
