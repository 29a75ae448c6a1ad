using CallSwitch.Compliance.Access;
using CallSwitch.Compliance.Storage;
using CallSwitch.Compliance.Storage.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace CallSwitch.Compliance.Tests.Storage;

/// <summary>Listening through the one audited access point: decided with its purpose, denials and accesses both audited.</summary>
public sealed class PurposeBoundAccessTests : IDisposable
{
    private static readonly CampaignAccess AcmeFr = new() { CampaignId = "acme-fr", Purposes = ["quality", "dispute"] };

    private readonly TempDataDirectory _directory = new();
    private readonly FakeTimeProvider _time = new(StoreSamples.T0);

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Quality_streams_for_a_declared_purpose_and_the_access_is_audited_with_it()
    {
        await using SqliteMetadataStore store = Open();
        NewRecording recording = await StoreSamples.AddAsync(store);
        RecordingAccess access = Access(store);
        var qa = new Principal("qa", null, [new(Role.Quality, AccessScope.Campaign("acme-fr"))]);

        RecordingMetadata? opened = await access.OpenForListeningAsync(qa, recording.Id, AccessAction.Stream, new AccessPurpose("dispute", "complaint 2026-114"));

        Assert.Equal(recording.Id, opened?.Id);
        AuditEvent entry = Assert.Single(await store.ReadAuditForRecordingAsync(recording.Id)).Event;
        Assert.Equal((AuditAction.Play, "qa", "dispute: complaint 2026-114"), (entry.Action, entry.Actor, entry.Purpose));
    }

    [Fact]
    public async Task A_download_by_quality_is_refused_answered_and_audited_and_nothing_is_returned()
    {
        await using SqliteMetadataStore store = Open();
        NewRecording recording = await StoreSamples.AddAsync(store);
        RecordingAccess access = Access(store);
        var qa = new Principal("qa", null, [new(Role.Quality, AccessScope.All)]);

        AccessDeniedException denied = await Assert.ThrowsAsync<AccessDeniedException>(
            () => access.OpenForListeningAsync(qa, recording.Id, AccessAction.Download, new AccessPurpose("quality")));

        Assert.Equal("downloads are off for a quality in campaign acme-fr", denied.Message);
        AuditEvent entry = Assert.Single(await store.ReadAuditForRecordingAsync(recording.Id)).Event;
        Assert.Equal(AuditAction.AccessDenied, entry.Action);
        Assert.EndsWith("reason=downloads are off for a quality in campaign acme-fr", entry.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dpo_downloads_within_a_request_and_a_supervisor_is_scoped_by_the_agents_team()
    {
        await using SqliteMetadataStore store = Open();
        NewRecording recording = await StoreSamples.AddAsync(store, agent: "1001");
        RecordingAccess access = Access(store);
        var dpo = new Principal("dpo", null, [new(Role.Dpo, AccessScope.All)]);
        var supervisor = new Principal("sup", null, [new(Role.Supervisor, AccessScope.Team("support"))]);

        Assert.NotNull(await access.OpenForListeningAsync(dpo, recording.Id, AccessAction.Download, null, requestId: "R-7", detail: "to r7.ogg"));
        AccessDeniedException denied = await Assert.ThrowsAsync<AccessDeniedException>(
            () => access.OpenForListeningAsync(supervisor, recording.Id, AccessAction.Extract, new AccessPurpose("quality")));

        Assert.Equal("supervisor@team:support does not cover campaign=acme-fr team=sales agent=1001", denied.Message);
        IReadOnlyList<AuditEntry> audit = await store.ReadAuditForRecordingAsync(recording.Id);
        Assert.Equal((AuditAction.Export, "data-subject request R-7", "to r7.ogg"), (audit[0].Event.Action, audit[0].Event.Purpose, audit[0].Event.Detail));
        Assert.Equal(AuditAction.AccessDenied, audit[1].Event.Action);
        Assert.Null(await access.OpenForListeningAsync(dpo, Guid.NewGuid(), AccessAction.Stream, null, "R-7"));
    }

    private RecordingAccess Access(SqliteMetadataStore store) =>
        new(store, store, _time, new AccessGuard(new Authorizer([AcmeFr]), store, _time), agent => agent == "1001" ? "sales" : null);

    private SqliteMetadataStore Open() =>
        SqliteMetadataStore.Open(new SqliteMetadataStoreOptions { DataDirectory = _directory.Path, Time = _time });
}
