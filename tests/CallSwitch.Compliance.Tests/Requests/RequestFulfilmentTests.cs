using System.IO.Compression;
using System.Text;
using System.Text.Json;
using CallSwitch.Compliance.Access;
using CallSwitch.Compliance.Erasure;
using CallSwitch.Compliance.Requests;
using CallSwitch.Compliance.Storage;
using CallSwitch.Compliance.Storage.Sqlite;
using CallSwitch.Compliance.Tests.Storage;

namespace CallSwitch.Compliance.Tests.Requests;

public sealed class RequestFulfilmentTests : IAsyncLifetime
{
    private const string Number = "+33612345678";
    private const string Other = "+33698765432";
    private readonly RequestFixture _f = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _f.DisposeAsync();

    [Fact]
    public async Task The_access_bundle_holds_exactly_the_numbers_calls_and_recordings_owner_only_and_each_export_is_audited()
    {
        var (fr, _) = await _f.RecordAsync(Number, "acme-fr");
        var (be, _) = await _f.RecordAsync(Number, "acme-be", StoreSamples.T0.AddDays(1));
        var (erased, _) = await _f.RecordAsync(Number, "acme-fr", StoreSamples.T0.AddDays(2));
        var (other, _) = await _f.RecordAsync(Other, "acme-fr");
        Assert.Equal(ErasureOutcome.Erased, await _f.Service.Eraser!.EraseAsync(new ErasureRequest(erased.Id, "retention", "retention-expired")));
        await _f.Store.AppendAuditAsync(new AuditEvent(_f.Time.GetUtcNow(), "quentin", AuditAction.Play, fr.Id, "quality"));
        SubjectRequest request = await _f.Service.OpenAsync(RequestFixture.Dpo, RequestKind.Access, "06 12 34 56 78", null, null, null);
        string bundle = Path.Combine(_f.Path, "answer.zip");

        RequestAnswer answer = await _f.Service.FulfilAsync(RequestFixture.Dpo, request.Id, bundle);

        Assert.Equal(RequestStatus.Done, answer.Request.Status);
        Assert.Null(answer.Request.Number);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(bundle));
        }

        Assert.False(File.Exists(bundle + ".partial"));
        using ZipArchive zip = ZipFile.OpenRead(bundle);
        Assert.Equal(
            new[] { $"erased/{erased.Id:D}.json", $"erased/{erased.Id:D}.json.sig", "erased/receipt-signing.pub.pem", $"recordings/{be.Id:D}.ogg", $"recordings/{fr.Id:D}.ogg", "summary.json", "summary.txt" }.Order(),
            zip.Entries.Select(e => e.FullName).Order());
        Assert.StartsWith($"audio of {fr.Id:D}\nEXPORTED_BY=dana", Read(zip, $"recordings/{fr.Id:D}.ogg"), StringComparison.Ordinal);
        Assert.Contains($"EXPORT_PURPOSE=data-subject request {request.Code}", Read(zip, $"recordings/{fr.Id:D}.ogg"), StringComparison.Ordinal);

        using JsonDocument summary = JsonDocument.Parse(Read(zip, "summary.json"));
        JsonElement root = summary.RootElement;
        Assert.Equal(Number, root.GetProperty("number").GetString());
        Assert.Equal(
            new[] { fr.CallId, be.CallId, erased.CallId }.Order(),
            root.GetProperty("calls").EnumerateArray().Select(c => c.GetProperty("callId").GetString()).Order());
        JsonElement[] recordings = [.. root.GetProperty("recordings").EnumerateArray()];
        Assert.Equal(new[] { fr.Id, be.Id }.Order(), recordings.Select(r => r.GetProperty("recordingId").GetGuid()).Order());
        JsonElement frJson = recordings.Single(r => r.GetProperty("recordingId").GetGuid() == fr.Id);
        Assert.Equal("acme-fr", frJson.GetProperty("campaign").GetString());
        Assert.Equal("alice", frJson.GetProperty("agentId").GetString());
        Assert.Equal("legitimate-interest", frJson.GetProperty("legalBasis").GetString());
        Assert.Equal(["quality", "training"], frJson.GetProperty("purposes").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(2, frJson.GetProperty("pauses").GetArrayLength());
        JsonElement heard = Assert.Single(frJson.GetProperty("heardBy").EnumerateArray());
        Assert.Equal("quentin", heard.GetProperty("by").GetString());
        Assert.Equal("play", heard.GetProperty("action").GetString());
        JsonElement tombstone = Assert.Single(root.GetProperty("erased").EnumerateArray());
        Assert.Equal(erased.Id, tombstone.GetProperty("recordingId").GetGuid());
        Assert.True(EcdsaReceiptSigner.Verify(ReadBytes(zip, $"erased/{erased.Id:D}.json"), ReadBytes(zip, $"erased/{erased.Id:D}.json.sig"), Read(zip, "erased/receipt-signing.pub.pem")));

        // Nothing about anybody else.
        string everything = string.Concat(zip.Entries.Select(e => Read(zip, e.FullName)));
        Assert.DoesNotContain(other.Id.ToString("D"), everything, StringComparison.Ordinal);
        Assert.DoesNotContain(other.CallId, everything, StringComparison.Ordinal);
        Assert.DoesNotContain("98765432", everything, StringComparison.Ordinal);
        Assert.Contains("Recordings held (2)", Read(zip, "summary.txt"), StringComparison.Ordinal);

        var (_, steps) = await _f.Service.ShowAsync(RequestFixture.Dpo, request.Id);
        AuditAction[] actions = [.. steps.Select(s => s.Event.Action)];
        Assert.Equal([AuditAction.RequestOpened, AuditAction.Export, AuditAction.Export, AuditAction.RequestBundleWritten, AuditAction.RequestFulfilled], actions);
        Assert.All(steps.Where(s => s.Event.Action == AuditAction.Export), s => Assert.Equal("dana", s.Event.Actor));
        Assert.Contains(bundle, steps.Single(s => s.Event.Action == AuditAction.RequestBundleWritten).Event.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fulfilling_twice_is_refused_and_changes_nothing()
    {
        await _f.RecordAsync(Number);
        SubjectRequest request = await _f.Service.OpenAsync(RequestFixture.Dpo, RequestKind.Access, Number, null, null, null);
        string bundle = Path.Combine(_f.Path, "answer.zip");
        await _f.Service.FulfilAsync(RequestFixture.Dpo, request.Id, bundle);
        byte[] first = await File.ReadAllBytesAsync(bundle);
        long audit = (await _f.Store.ReadAuditAsync(0, 1000)).Count;

        var e = await Assert.ThrowsAsync<RequestException>(() => _f.Service.FulfilAsync(RequestFixture.Dpo, request.Id, Path.Combine(_f.Path, "again.zip")));

        Assert.Contains($"{request.Code} is already done", e.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_f.Path, "again.zip")));
        Assert.Equal(first, await File.ReadAllBytesAsync(bundle));
        Assert.Equal(audit, (await _f.Store.ReadAuditAsync(0, 1000)).Count);
    }

    [Fact]
    public async Task An_access_without_a_bundle_path_or_onto_an_existing_file_is_refused_and_stays_open()
    {
        await _f.RecordAsync(Number);
        SubjectRequest request = await _f.Service.OpenAsync(RequestFixture.Dpo, RequestKind.Access, Number, null, null, null);
        string existing = Path.Combine(_f.Path, "there.zip");
        await File.WriteAllTextAsync(existing, "mine");

        await Assert.ThrowsAsync<RequestException>(() => _f.Service.FulfilAsync(RequestFixture.Dpo, request.Id, null));
        await Assert.ThrowsAsync<RequestException>(() => _f.Service.FulfilAsync(RequestFixture.Dpo, request.Id, existing));

        Assert.Equal("mine", await File.ReadAllTextAsync(existing));
        Assert.Equal(RequestStatus.Open, (await _f.Store.GetRequestAsync(request.Id))!.Status);
    }

    [Fact]
    public async Task An_erasure_erases_every_recording_a_hold_does_not_keep_says_why_the_held_one_stays_and_takes_the_number_off_the_calls()
    {
        var (a, fileA) = await _f.RecordAsync(Number, "acme-fr");
        var (b, fileB) = await _f.RecordAsync(Number, "acme-be", StoreSamples.T0.AddDays(1));
        var (held, heldFile) = await _f.RecordAsync(Number, "acme-be", StoreSamples.T0.AddDays(2));
        var (other, otherFile) = await _f.RecordAsync(Other, "acme-fr");
        await _f.Store.PlaceHoldAsync(new NewLegalHold { Scope = LegalHoldScope.Call, CallId = held.CallId, Reason = "dispute 2026-7", RequestedBy = "Maître Roux", PlacedBy = "dana" });
        SubjectRequest request = await _f.Service.OpenAsync(RequestFixture.Dpo, RequestKind.Erasure, "06.12.34.56.78", null, null, null);

        RequestAnswer answer = await _f.Service.FulfilAsync(RequestFixture.Dpo, request.Id, null);

        Assert.Equal(RequestStatus.Done, answer.Request.Status);
        Assert.False(File.Exists(fileA));
        Assert.False(File.Exists(fileB));
        Assert.False(_f.Vault.HasKey(a.KeyId!.Value));
        Assert.False(_f.Vault.HasKey(b.KeyId!.Value));
        Assert.True(File.Exists(heldFile));
        Assert.True(File.Exists(otherFile));
        Assert.Equal(new[] { a.Id, b.Id }.Order(), answer.Receipts.Select(r => r.RecordingId).Order());
        Assert.All(answer.Receipts, r => Assert.True(EcdsaReceiptSigner.Verify(r.Document, r.Signature, _f.Signer.PublicKeyPem)));
        string kept = Assert.Single(answer.Lines, l => l.Contains("KEPT", StringComparison.Ordinal));
        Assert.Contains(held.Id.ToString("D"), kept, StringComparison.Ordinal);
        Assert.Contains("\"dispute 2026-7\", requested by Maître Roux", kept, StringComparison.Ordinal);
        Assert.Equal("2 recording(s) erased, 1 kept by a legal hold, 3 call row(s) without the number", answer.Request.Outcome);

        // The number is left in the held recording's row alone (and the other person's untouched).
        Assert.Equal([("recordings", "prospect_number", 1)], StoreText.Occurrences(Path.Combine(_f.Path, SqliteMetadataStoreOptions.DefaultFileName), "612345678"));
        Assert.Equal(Other, (await _f.Store.GetCallAsync(other.CallId))!.ProspectNumber);
        CallRecord redacted = (await _f.Store.GetCallAsync(a.CallId))!;
        Assert.Null(redacted.ProspectNumber);
        Assert.Equal(3, (await _f.Store.FindByNumberAsync(Number, _f.Vault.Digest(Number))).Calls.Count);

        RecordedAnswer recorded = await _f.Service.WasRecordedAsync(RequestFixture.Dpo, "0612345678");
        Assert.Equal(1, recorded.Recordings);
        Assert.Equal(2, recorded.ErasedAt.Count);
        Assert.Equal(3, recorded.Calls);
    }

    [Fact]
    public async Task After_an_erasure_without_hold_the_number_is_nowhere_in_the_database_file()
    {
        await _f.RecordAsync(Number, "acme-fr");
        await _f.RecordAsync(Number, "acme-be", StoreSamples.T0.AddDays(1));
        SubjectRequest request = await _f.Service.OpenAsync(RequestFixture.Dpo, RequestKind.Erasure, Number, null, null, null);
        await _f.Service.FulfilAsync(RequestFixture.Dpo, request.Id, null);

        Assert.Empty(StoreText.Occurrences(Path.Combine(_f.Path, SqliteMetadataStoreOptions.DefaultFileName), "612345678"));
        await _f.CloseStoreAsync();

        // Freed pages too (secure_delete): the bytes of the file, WAL checkpointed at close.
        byte[] database = await File.ReadAllBytesAsync(Path.Combine(_f.Path, SqliteMetadataStoreOptions.DefaultFileName));
        Assert.Equal(-1, database.AsSpan().IndexOf("612345678"u8));
    }

    [Fact]
    public async Task A_restriction_freezes_the_recordings_until_lifted()
    {
        var (a, file) = await _f.RecordAsync(Number);
        SubjectRequest request = await _f.Service.OpenAsync(RequestFixture.Dpo, RequestKind.Restriction, Number, "letter 9", null, null);

        RequestAnswer answer = await _f.Service.FulfilAsync(RequestFixture.Dpo, request.Id, null);

        Assert.True(answer.Request.RestrictionInForce);
        Assert.Equal(Number, answer.Request.Number);
        Assert.True(await _f.Store.IsRestrictedAsync(Number));
        Assert.Equal(ErasureOutcome.OnLegalHold, await _f.Service.Eraser!.EraseAsync(new ErasureRequest(a.Id, "retention", "retention-expired")));
        Assert.True(File.Exists(file));

        // Frozen: quality may not hear it even for a declared purpose (refusal audited); the dpo within a request may.
        var access = new RecordingAccess(_f.Store, _f.Store, _f.Time, _f.Guard, _ => null);
        var denied = await Assert.ThrowsAsync<AccessDeniedException>(
            () => access.OpenForListeningAsync(RequestFixture.Quality, a.Id, AccessAction.Stream, new AccessPurpose("quality", null)));
        Assert.Contains("restriction", denied.Message, StringComparison.Ordinal);
        AuditEntry refusal = (await _f.Store.ReadAuditAsync(0, 1000))[^1];
        Assert.Equal(AuditAction.AccessDenied, refusal.Event.Action);
        Assert.Contains("restricted=yes", refusal.Event.Detail, StringComparison.Ordinal);
        Assert.NotNull(await access.OpenForListeningAsync(RequestFixture.Dpo, a.Id, AccessAction.Stream, null, request.Code));

        SubjectRequest lifted = await _f.Service.LiftAsync(RequestFixture.Dpo, request.Id, "identity disputed, resolved");

        Assert.False(lifted.RestrictionInForce);
        Assert.Null(lifted.Number);
        Assert.False(await _f.Store.IsRestrictedAsync(Number));
        Assert.NotNull(await access.OpenForListeningAsync(RequestFixture.Quality, a.Id, AccessAction.Stream, new AccessPurpose("quality", null)));
        Assert.Equal(ErasureOutcome.Erased, await _f.Service.Eraser!.EraseAsync(new ErasureRequest(a.Id, "retention", "retention-expired")));
        await Assert.ThrowsAsync<RequestException>(() => _f.Service.LiftAsync(RequestFixture.Dpo, request.Id, "twice"));
    }

    [Fact]
    public async Task An_objection_lists_the_number_for_its_campaign_or_every_campaign()
    {
        SubjectRequest everywhere = await _f.Service.OpenAsync(RequestFixture.Dpo, RequestKind.Objection, "06 12 34 56 78", null, null, null);
        SubjectRequest oneCampaign = await _f.Service.OpenAsync(RequestFixture.Dpo, RequestKind.Objection, Other, null, null, "acme-be");
        await Assert.ThrowsAsync<RequestException>(() => _f.Service.OpenAsync(RequestFixture.Dpo, RequestKind.Access, Number, null, null, "acme-be"));

        await _f.Service.FulfilAsync(RequestFixture.Dpo, everywhere.Id, null);
        await _f.Service.FulfilAsync(RequestFixture.Dpo, oneCampaign.Id, null);

        await using var cache = new DoNotCallCache(_f.Store, _f.Time, TimeSpan.FromSeconds(5));
        await cache.StartAsync();
        Assert.True(cache.IsListed(Number, "acme-fr"));
        Assert.True(cache.IsListed(Number, null));
        Assert.True(cache.IsListed(Other, "acme-be"));
        Assert.False(cache.IsListed(Other, "acme-fr"));
        Assert.False(cache.IsListed("+33611111111", "acme-fr"));
        Assert.DoesNotContain((await _f.Store.ReadAuditAsync(0, 1000)).Select(e => e.Event.Detail ?? string.Empty), d => d.Contains("612345678", StringComparison.Ordinal));
    }

    private static string Read(ZipArchive zip, string name) => Encoding.UTF8.GetString(ReadBytes(zip, name));

    private static byte[] ReadBytes(ZipArchive zip, string name)
    {
        using Stream entry = zip.GetEntry(name)!.Open();
        using var copy = new MemoryStream();
        entry.CopyTo(copy);
        return copy.ToArray();
    }
}
