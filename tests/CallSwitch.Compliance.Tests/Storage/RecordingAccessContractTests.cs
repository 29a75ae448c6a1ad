using CallSwitch.Compliance.Storage;
using CallSwitch.Compliance.Tests.Erasure;
using Microsoft.Extensions.Time.Testing;

namespace CallSwitch.Compliance.Tests.Storage;

/// <summary>Every access through <see cref="RecordingAccess"/> leaves its audit entry, whatever the store.</summary>
public abstract class RecordingAccessContractTests : IAsyncLifetime
{
    protected FakeTimeProvider Time { get; } = new(StoreSamples.T0.AddDays(2));

    protected IMetadataStore Store { get; private set; } = null!;

    private RecordingAccess Access => new(Store, Store, Time);

    public async Task InitializeAsync() => Store = await OpenStoreAsync(Time);

    public virtual async Task DisposeAsync() => await Store.DisposeAsync();

    protected abstract Task<IMetadataStore> OpenStoreAsync(TimeProvider time);

    [Fact]
    public async Task Opening_a_recording_commits_its_audit_entry_before_returning_it()
    {
        NewRecording added = await StoreSamples.AddAsync(Store);

        RecordingMetadata? opened = await Access.OpenForAccessAsync(added.Id, "alice", "quality review", AuditAction.Export, "out=/tmp/r.ogg");

        Assert.Equal(added.Id, opened?.Id);

        // No flush: the entry is already committed when the record is handed out.
        AuditEntry entry = Assert.Single(await Store.ReadAuditForRecordingAsync(added.Id));
        Assert.Equal(new AuditEvent(Time.GetUtcNow(), "alice", AuditAction.Export, added.Id, "quality review", "out=/tmp/r.ogg"), entry.Event);
    }

    [Fact]
    public async Task Every_access_adds_an_entry_in_order()
    {
        NewRecording added = await StoreSamples.AddAsync(Store);

        await Access.OpenForAccessAsync(added.Id, "alice", "quality review");
        Time.Advance(TimeSpan.FromMinutes(5));
        await Access.OpenForAccessAsync(added.Id, "bob", "complaint 88", AuditAction.Play);

        IReadOnlyList<AuditEntry> entries = await Store.ReadAuditForRecordingAsync(added.Id);
        Assert.Equal(["alice", "bob"], entries.Select(e => e.Event.Actor));
        Assert.Equal([AuditAction.View, AuditAction.Play], entries.Select(e => e.Event.Action));
        Assert.Equal(TimeSpan.FromMinutes(5), entries[1].Event.At - entries[0].Event.At);
        Assert.True(entries[1].Sequence > entries[0].Sequence);
    }

    [Fact]
    public async Task When_the_audit_entry_cannot_be_written_the_recording_is_not_disclosed()
    {
        NewRecording added = await StoreSamples.AddAsync(Store);
        var broken = new FailingAuditLog();
        var access = new RecordingAccess(Store, broken, Time);

        await Assert.ThrowsAsync<MetadataStoreException>(() => access.OpenForAccessAsync(added.Id, "alice", "quality review"));
        await Assert.ThrowsAsync<MetadataStoreException>(() => access.SearchAsync(new RecordingQuery(), "alice", "quality review"));
        Assert.Equal(2, broken.Attempts);
    }

    [Fact]
    public async Task An_unknown_recording_is_null_and_discloses_nothing_to_audit()
    {
        Assert.Null(await Access.OpenForAccessAsync(Guid.NewGuid(), "alice", "quality review"));
        Assert.Empty(await Store.ReadAuditAsync(0, 10));
    }

    [Fact]
    public async Task A_search_is_audited_with_its_criteria()
    {
        await StoreSamples.AddAsync(Store, number: "+33611111111", agent: "bob");
        var query = new RecordingQuery { ProspectNumber = "+33611111111", AgentId = "bob", StartedFrom = StoreSamples.T0.AddDays(-1) };

        RecordingPage page = await Access.SearchAsync(query, "dpo@acme", "access request DSR-4");

        Assert.Single(page.Items);
        AuditEntry entry = Assert.Single(await Store.ReadAuditAsync(0, 10));
        Assert.Equal(AuditAction.Search, entry.Event.Action);
        Assert.Null(entry.Event.RecordingId);
        Assert.Equal("dpo@acme", entry.Event.Actor);
        Assert.Equal("access request DSR-4", entry.Event.Purpose);
        Assert.Equal("number=+33611111111 agent=bob from=2025-03-13T10:00:00.0000000+01:00", entry.Event.Detail);
    }

    [Fact]
    public async Task Access_needs_an_actor_a_purpose_and_an_access_action()
    {
        NewRecording added = await StoreSamples.AddAsync(Store);

        await Assert.ThrowsAsync<ArgumentException>(() => Access.OpenForAccessAsync(added.Id, "", "quality review"));
        await Assert.ThrowsAsync<ArgumentException>(() => Access.OpenForAccessAsync(added.Id, "alice", "  "));
        await Assert.ThrowsAsync<ArgumentException>(() => Access.OpenForAccessAsync(added.Id, "alice", "why", AuditAction.Erase));
        await Assert.ThrowsAsync<ArgumentException>(() => Access.SearchAsync(new RecordingQuery(), "alice", ""));
        Assert.Empty(await Store.ReadAuditAsync(0, 10));
    }

    [Fact]
    public async Task Holds_through_the_access_point_and_the_erasure_they_block_are_audited()
    {
        using var eraser = new TestEraser(Store, Time);
        NewRecording added = await StoreSamples.AddAsync(Store);

        Assert.True(await Access.SetLegalHoldAsync(added.Id, hold: true, "legal@acme", "litigation"));
        Assert.Equal(ErasureOutcome.OnLegalHold, await eraser.EraseAsync(added.Id, "dpo@acme", "DSR-9"));
        Assert.True(await Access.SetLegalHoldAsync(added.Id, hold: false, "legal@acme", "closed"));
        Assert.Equal(ErasureOutcome.Erased, await eraser.EraseAsync(added.Id, "dpo@acme", "DSR-9"));
        RecordingMetadata? tombstone = await Access.OpenForAccessAsync(added.Id, "dpo@acme", "proof of erasure DSR-9");

        Assert.Null(tombstone?.FilePath);
        Assert.Equal("DSR-9", tombstone?.Erasure?.Reason);
        Assert.Equal(
            [AuditAction.LegalHoldPlaced, AuditAction.LegalHoldReleased, AuditAction.Erase, AuditAction.View],
            (await Store.ReadAuditForRecordingAsync(added.Id)).Select(e => e.Event.Action));
    }
}
