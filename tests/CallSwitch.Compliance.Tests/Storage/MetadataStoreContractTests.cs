using CallSwitch.Compliance.Rules;
using CallSwitch.Configuration;
using CallSwitch.Compliance.Storage;
using CallSwitch.Compliance.Tests.Erasure;
using Microsoft.Extensions.Time.Testing;

namespace CallSwitch.Compliance.Tests.Storage;

/// <summary>
/// What every metadata store must do, whatever the database: SQLite now, PostgreSQL later runs
/// the same facts by deriving from this class.
/// </summary>
public abstract class MetadataStoreContractTests : IAsyncLifetime
{
    protected FakeTimeProvider Time { get; } = new(StoreSamples.T0.AddDays(1));

    protected IMetadataStore Store { get; private set; } = null!;

    public async Task InitializeAsync() => Store = await OpenStoreAsync(Time);

    public virtual async Task DisposeAsync() => await Store.DisposeAsync();

    /// <summary>Opens a new, empty store.</summary>
    protected abstract Task<IMetadataStore> OpenStoreAsync(TimeProvider time);

    [Fact]
    public async Task A_call_round_trips_with_every_field()
    {
        CallRecord call = StoreSamples.Call("call-1");

        await Store.SaveCallAsync(call);
        CallRecord? read = await Store.GetCallAsync("call-1");

        Assert.Equal(call, read);
        Assert.Equal(TimeSpan.Zero, read!.StartedAt.Offset);
        Assert.Null(await Store.GetCallAsync("call-2"));
    }

    [Fact]
    public async Task A_call_without_answer_number_or_announcement_round_trips()
    {
        var call = new CallRecord
        {
            CallId = "anonymous",
            Direction = CallDirection.Inbound,
            StartedAt = StoreSamples.T0,
            EndedAt = StoreSamples.T0.AddSeconds(20),
            EndReason = "NoAnswer",
        };

        await Store.SaveCallAsync(call);

        Assert.Equal(call, await Store.GetCallAsync("anonymous"));
    }

    [Fact]
    public async Task Saving_a_call_again_replaces_it()
    {
        CallRecord started = StoreSamples.Call("call-1") with { AnsweredAt = null, EndedAt = null, EndReason = null, Recorded = false };
        await Store.SaveCallAsync(started);

        CallRecord ended = StoreSamples.Call("call-1");
        await Store.SaveCallAsync(ended);

        Assert.Equal(ended, await Store.GetCallAsync("call-1"));
    }

    [Fact]
    public async Task A_fire_and_forget_call_lands_once_flushed()
    {
        Assert.True(Store.EnqueueCall(StoreSamples.Call("queued")));

        await Store.FlushAsync();

        Assert.Equal(StoreSamples.Call("queued"), await Store.GetCallAsync("queued"));
        Assert.Equal(0, Store.BackgroundWriteFailures);
    }

    [Theory]
    [InlineData("0612345678")]
    [InlineData("+33 6 12 34 56 78")]
    [InlineData("+0612345678")]
    [InlineData("+1234567890123456")]
    public async Task Numbers_not_in_E164_form_are_refused_before_queueing(string number)
    {
        Assert.Throws<ArgumentException>(() => Store.EnqueueCall(StoreSamples.Call("c", number: number)));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.SaveCallAsync(StoreSamples.Call("c", number: number)));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.SearchRecordingsAsync(new RecordingQuery { ProspectNumber = number }));
        await Store.FlushAsync();
        Assert.Null(await Store.GetCallAsync("c"));
    }

    [Fact]
    public async Task A_recording_round_trips_with_every_field()
    {
        NewRecording added = await StoreSamples.AddAsync(Store);
        RecordingCompletion completion = StoreSamples.Completion(added.StartedAt);

        Assert.True(await Store.CompleteRecordingAsync(added.Id, completion));
        RecordingMetadata? read = await Store.GetRecordingAsync(added.Id);

        Assert.NotNull(read);
        Assert.Equal(added.Id, read.Id);
        Assert.Equal(added.CallId, read.CallId);
        Assert.Equal("acme-fr", read.CampaignId);
        Assert.Equal("alice", read.AgentId);
        Assert.Equal("+33612345678", read.ProspectNumber);
        Assert.Equal(added.StartedAt, read.StartedAt);
        Assert.Equal(completion.EndedAt, read.EndedAt);
        Assert.Equal(TimeSpan.FromMilliseconds(144_480), read.Duration);
        Assert.Equal("acme-fr/always", read.RuleId);
        Assert.Equal(added.Announcement, read.Announcement);
        Assert.Equal(completion.Pauses, read.Pauses);
        Assert.Equal(completion.Barges, read.Barges);
        Assert.Null(read.Opposition);
        Assert.Equal(["quality", "training"], read.Purposes);
        Assert.Equal(LegalBasis.LegitimateInterest, read.LegalBasis);
        Assert.Equal(added.RetentionUntil, read.RetentionUntil);
        Assert.False(read.LegalHold);
        Assert.Equal(added.KeyId, read.KeyId);
        Assert.Equal(added.FilePath, read.FilePath);
        Assert.Equal(1_234_567, read.FileSize);
        Assert.Equal(StoreSamples.Sha('c'), read.CiphertextSha256);
        Assert.Equal(RecordingStatus.Incomplete, read.Status);
        Assert.Equal(17, read.DroppedPackets);
        Assert.Null(read.Erasure);
    }

    [Fact]
    public async Task A_started_recording_reads_back_in_progress_and_is_found_for_repair()
    {
        NewRecording added = await StoreSamples.AddAsync(Store);
        await StoreSamples.AddAsync(Store, number: "+33698765432");
        await Store.CompleteRecordingAsync(added.Id, StoreSamples.Completion(added.StartedAt) with { Status = RecordingStatus.Complete });

        RecordingPage inProgress = await Store.SearchRecordingsAsync(new RecordingQuery { Status = RecordingStatus.InProgress });

        RecordingMetadata only = Assert.Single(inProgress.Items);
        Assert.Equal("+33698765432", only.ProspectNumber);
        Assert.Null(only.EndedAt);
        Assert.Null(only.Duration);
        Assert.Null(only.FileSize);
        Assert.Empty(only.Pauses);
        Assert.Equal(0, only.DroppedPackets);
    }

    [Fact]
    public async Task A_recording_saved_at_its_start_gets_the_announcement_and_retention_known_at_its_end()
    {
        Guid id = Guid.NewGuid();
        await Store.SaveCallAsync(StoreSamples.Call("call-live") with { EndedAt = null, EndReason = null, Announcement = null });
        NewRecording started = StoreSamples.Recording(id, "call-live") with { Announcement = null };
        await Store.AddRecordingAsync(started);
        var notice = new AnnouncementPlayback(started.StartedAt.AddSeconds(9), StoreSamples.Sha('d'));
        DateTimeOffset retention = started.StartedAt.AddDays(91);

        await Store.CompleteRecordingAsync(id, StoreSamples.Completion(started.StartedAt) with { Announcement = notice, RetentionUntil = retention });

        RecordingMetadata read = (await Store.GetRecordingAsync(id))!;
        Assert.Equal(notice, read.Announcement);
        Assert.Equal(retention, read.RetentionUntil);

        // A completion that says nothing of them leaves them as they are.
        await Store.CompleteRecordingAsync(id, StoreSamples.Completion(started.StartedAt));
        read = (await Store.GetRecordingAsync(id))!;
        Assert.Equal(notice, read.Announcement);
        Assert.Equal(retention, read.RetentionUntil);
    }

    [Fact]
    public async Task Calls_left_open_are_ended_at_the_last_instant_known_and_ended_calls_are_untouched()
    {
        CallRecord ended = StoreSamples.Call("call-ended");
        CallRecord ringing = StoreSamples.Call("call-ringing") with { AnsweredAt = null, EndedAt = null, EndReason = null, Announcement = null };
        CallRecord recorded = StoreSamples.Call("call-recorded") with { EndedAt = null, EndReason = null };
        await Store.SaveCallAsync(ended);
        await Store.SaveCallAsync(ringing);
        await Store.SaveCallAsync(recorded);
        Guid id = Guid.NewGuid();
        NewRecording recording = StoreSamples.Recording(id, "call-recorded");
        await Store.AddRecordingAsync(recording);
        await Store.CompleteRecordingAsync(id, StoreSamples.Completion(recording.StartedAt));

        int count = await Store.EndOpenCallsAsync("switch-restart");

        Assert.Equal(2, count);
        Assert.Equal(ended, await Store.GetCallAsync("call-ended"));
        CallRecord? read = await Store.GetCallAsync("call-ringing");
        Assert.Equal(ringing.StartedAt, read!.EndedAt);
        Assert.Equal("switch-restart", read.EndReason);
        read = await Store.GetCallAsync("call-recorded");
        Assert.Equal(StoreSamples.Completion(recording.StartedAt).EndedAt, read!.EndedAt);
        Assert.Equal("switch-restart", read.EndReason);
        Assert.Equal(0, await Store.EndOpenCallsAsync("switch-restart"));
    }

    [Fact]
    public async Task A_barge_that_ends_before_it_starts_is_refused()
    {
        NewRecording added = await StoreSamples.AddAsync(Store);
        RecordingCompletion wrong = StoreSamples.Completion(added.StartedAt) with { Barges = [new RecordingBarge(TimeSpan.FromSeconds(9), TimeSpan.FromSeconds(8))] };

        ArgumentException error = await Assert.ThrowsAsync<ArgumentException>(() => Store.CompleteRecordingAsync(added.Id, wrong));

        Assert.Contains("Barge", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Completing_twice_replaces_the_pauses()
    {
        NewRecording added = await StoreSamples.AddAsync(Store);
        await Store.CompleteRecordingAsync(added.Id, StoreSamples.Completion(added.StartedAt));
        RecordingCompletion repaired = StoreSamples.Completion(added.StartedAt) with
        {
            Pauses = [new RecordingPause(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(6))],
            Barges = [new RecordingBarge(TimeSpan.FromSeconds(7), null)],
        };

        await Store.CompleteRecordingAsync(added.Id, repaired);

        RecordingMetadata read = (await Store.GetRecordingAsync(added.Id))!;
        Assert.Equal(repaired.Pauses, read.Pauses);
        Assert.Equal(repaired.Barges, read.Barges);
    }

    [Fact]
    public async Task A_refused_recording_keeps_the_refusal_and_forgets_the_audio()
    {
        NewRecording added = await StoreSamples.AddAsync(Store);
        var refusal = new RecordingOpposition(OppositionSource.Prospect, added.StartedAt.AddSeconds(4));

        await Store.CompleteRecordingAsync(added.Id, StoreSamples.Completion(added.StartedAt) with { Opposition = refusal, Status = RecordingStatus.Complete });
        RecordingMetadata read = (await Store.GetRecordingAsync(added.Id))!;

        Assert.Equal(refusal, read.Opposition);
        Assert.Null(read.FilePath);
        Assert.Null(read.KeyId);
        Assert.Null(read.FileSize);
        Assert.Null(read.CiphertextSha256);
    }

    [Fact]
    public async Task A_recording_refused_before_any_audio_is_stored_without_key_nor_file()
    {
        Guid id = Guid.NewGuid();
        await Store.SaveCallAsync(StoreSamples.Call("c-refused") with { Recorded = false });
        NewRecording refused = StoreSamples.Recording(id, "c-refused") with { KeyId = null, FilePath = null, Announcement = null };
        var refusal = new RecordingOpposition(OppositionSource.Prospect, refused.StartedAt);

        await Store.AddRecordingAsync(refused);
        Assert.True(await Store.CompleteRecordingAsync(id, new RecordingCompletion { EndedAt = refused.StartedAt, Duration = TimeSpan.Zero, Status = RecordingStatus.Complete, Opposition = refusal }));
        RecordingMetadata read = (await Store.GetRecordingAsync(id))!;

        Assert.Equal(refusal, read.Opposition);
        Assert.Null(read.FilePath);
        Assert.Null(read.KeyId);
        Assert.Null(read.FileSize);
        Assert.Equal(TimeSpan.Zero, read.Duration);
        Assert.Equal(RecordingStatus.Complete, read.Status);
        Assert.False((await Store.GetCallAsync("c-refused"))!.Recorded);
    }

    [Fact]
    public async Task A_recording_has_both_a_key_and_a_file_or_neither()
    {
        await Store.SaveCallAsync(StoreSamples.Call("c-half"));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.AddRecordingAsync(StoreSamples.Recording(Guid.NewGuid(), "c-half") with { KeyId = null }));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.AddRecordingAsync(StoreSamples.Recording(Guid.NewGuid(), "c-half") with { FilePath = null }));
    }

    [Fact]
    public async Task In_progress_is_not_a_completion()
    {
        NewRecording added = await StoreSamples.AddAsync(Store);

        await Assert.ThrowsAsync<ArgumentException>(
            () => Store.CompleteRecordingAsync(added.Id, StoreSamples.Completion(added.StartedAt) with { Status = RecordingStatus.InProgress }));
        Assert.False(await Store.CompleteRecordingAsync(Guid.NewGuid(), StoreSamples.Completion(added.StartedAt)));
    }

    [Fact]
    public async Task Search_finds_by_number_campaign_agent_and_date_range_newest_first()
    {
        DateTimeOffset t = StoreSamples.T0;
        NewRecording r1 = await StoreSamples.AddAsync(Store, "+33611111111", "acme-fr", "alice", t.AddHours(1));
        NewRecording r2 = await StoreSamples.AddAsync(Store, "+33611111111", "globex-be", "bob", t.AddHours(2));
        NewRecording r3 = await StoreSamples.AddAsync(Store, "+33622222222", "acme-fr", "bob", t.AddHours(3));
        NewRecording r4 = await StoreSamples.AddAsync(Store, "+33622222222", "globex-be", "alice", t.AddDays(1));

        async Task<Guid[]> Ids(RecordingQuery query) => [.. (await Store.SearchRecordingsAsync(query)).Items.Select(r => r.Id)];

        Assert.Equal([r2.Id, r1.Id], await Ids(new RecordingQuery { ProspectNumber = "+33611111111" }));
        Assert.Equal([r3.Id, r1.Id], await Ids(new RecordingQuery { CampaignId = "acme-fr" }));
        Assert.Equal([r4.Id, r1.Id], await Ids(new RecordingQuery { AgentId = "alice" }));
        Assert.Equal([r2.Id, r1.Id], await Ids(new RecordingQuery { StartedFrom = t.AddHours(1), StartedBefore = t.AddHours(3) }));
        Assert.Equal([r4.Id, r3.Id], await Ids(new RecordingQuery { StartedFrom = t.AddHours(3) }));
        Assert.Equal([r3.Id], await Ids(new RecordingQuery { ProspectNumber = "+33622222222", CampaignId = "acme-fr", AgentId = "bob" }));
        Assert.Equal([r4.Id, r3.Id, r2.Id, r1.Id], await Ids(new RecordingQuery()));
        Assert.Empty(await Ids(new RecordingQuery { ProspectNumber = "+33633333333" }));
    }

    [Fact]
    public async Task Search_results_carry_pauses_and_purposes()
    {
        NewRecording added = await StoreSamples.AddAsync(Store);
        await Store.CompleteRecordingAsync(added.Id, StoreSamples.Completion(added.StartedAt));

        RecordingMetadata found = Assert.Single((await Store.SearchRecordingsAsync(new RecordingQuery { AgentId = "alice" })).Items);

        Assert.Equal(StoreSamples.Completion(added.StartedAt).Pauses, found.Pauses);
        Assert.Equal(["quality", "training"], found.Purposes);
    }

    [Fact]
    public async Task Paging_walks_every_match_once_in_order_even_with_equal_start_times()
    {
        var added = new List<NewRecording>();
        for (int i = 0; i < 25; i++)
        {
            // Five recordings share each start time: the cursor must break ties by id.
            added.Add(await StoreSamples.AddAsync(Store, startedAt: StoreSamples.T0.AddMinutes(i / 5)));
        }

        var seen = new List<RecordingMetadata>();
        RecordingQuery? query = new() { CampaignId = "acme-fr", PageSize = 10 };
        var sizes = new List<int>();
        while (query is not null)
        {
            RecordingPage page = await Store.SearchRecordingsAsync(query);
            Assert.Equal(25, page.TotalCount);
            sizes.Add(page.Items.Count);
            seen.AddRange(page.Items);
            query = page.NextQuery(query);
        }

        Assert.Equal([10, 10, 5], sizes);
        Assert.Equal(added.Select(r => r.Id).Order(), seen.Select(r => r.Id).Order());
        for (int i = 1; i < seen.Count; i++)
        {
            Assert.True(seen[i - 1].StartedAt >= seen[i].StartedAt);
        }
    }

    [Fact]
    public async Task A_page_exactly_full_has_no_next_page()
    {
        for (int i = 0; i < 3; i++)
        {
            await StoreSamples.AddAsync(Store, startedAt: StoreSamples.T0.AddMinutes(i));
        }

        RecordingPage page = await Store.SearchRecordingsAsync(new RecordingQuery { PageSize = 3 });

        Assert.Equal(3, page.Items.Count);
        Assert.Null(page.NextCursor);
        await Assert.ThrowsAsync<ArgumentException>(() => Store.SearchRecordingsAsync(new RecordingQuery { PageSize = 0 }));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.SearchRecordingsAsync(new RecordingQuery { PageSize = RecordingQuery.MaxPageSize + 1 }));
    }

    [Fact]
    public async Task Concurrent_writes_from_many_tasks_all_land_in_each_tasks_order()
    {
        const int Producers = 16;
        const int PerProducer = 50;
        await Task.WhenAll(Enumerable.Range(0, Producers).Select(p => Task.Run(async () =>
        {
            // Not awaited one by one: queue order, not the caller's waiting, must keep them in order.
            var appends = new List<Task<AuditEntry>>();
            for (int i = 0; i < PerProducer; i++)
            {
                appends.Add(Store.AppendAuditAsync(new AuditEvent(Time.GetUtcNow(), $"producer-{p}", AuditAction.Search, null, "load", i.ToString(System.Globalization.CultureInfo.InvariantCulture))));
                Store.EnqueueCall(StoreSamples.Call($"call-{p}") with { EndReason = $"update-{i}" });
            }

            AuditEntry[] entries = await Task.WhenAll(appends);
            for (int i = 1; i < entries.Length; i++)
            {
                Assert.True(entries[i].Sequence > entries[i - 1].Sequence);
            }
        })));
        await Store.FlushAsync();

        IReadOnlyList<AuditEntry> log = await Store.ReadAuditAsync(0, 10_000);
        Assert.Equal(Enumerable.Range(1, Producers * PerProducer).Select(i => (long)i), log.Select(e => e.Sequence));
        foreach (IGrouping<string, AuditEntry> producer in log.GroupBy(e => e.Event.Actor))
        {
            Assert.Equal(Enumerable.Range(0, PerProducer).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), producer.Select(e => e.Event.Detail));
        }

        for (int p = 0; p < Producers; p++)
        {
            Assert.Equal($"update-{PerProducer - 1}", (await Store.GetCallAsync($"call-{p}"))!.EndReason);
        }

        Assert.Equal(0, Store.BackgroundWriteFailures);
    }

    [Fact]
    public async Task A_failing_write_is_reported_to_its_caller_and_the_writer_goes_on()
    {
        NewRecording existing = await StoreSamples.AddAsync(Store);
        await Store.SaveCallAsync(StoreSamples.Call("call-ok"));

        // Queued back to back so they share the writer's batch: only the bad ones must roll back.
        NewRecording before = StoreSamples.Recording(Guid.NewGuid(), "call-ok");
        NewRecording after = StoreSamples.Recording(Guid.NewGuid(), "call-ok");
        Task good1 = Store.AddRecordingAsync(before);
        Task duplicate = Store.AddRecordingAsync(existing with { CallId = "call-ok" });
        Task orphan = Store.AddRecordingAsync(StoreSamples.Recording(Guid.NewGuid(), "never-saved"));
        Task good2 = Store.AddRecordingAsync(after);

        MetadataStoreException duplicateError = await Assert.ThrowsAsync<MetadataStoreException>(() => duplicate);
        await Assert.ThrowsAsync<MetadataStoreException>(() => orphan);
        await good1;
        await good2;
        Assert.Contains(existing.Id.ToString(), duplicateError.Message, StringComparison.Ordinal);

        Assert.NotNull(await Store.GetRecordingAsync(before.Id));
        Assert.NotNull(await Store.GetRecordingAsync(after.Id));
        Assert.Equal(existing.CallId, (await Store.GetRecordingAsync(existing.Id))!.CallId);
        NewRecording later = await StoreSamples.AddAsync(Store);
        Assert.NotNull(await Store.GetRecordingAsync(later.Id));
        Assert.Equal(4, (await Store.SearchRecordingsAsync(new RecordingQuery())).TotalCount);
    }

    [Fact]
    public async Task An_erased_recording_is_a_tombstone_without_audio_key_or_number()
    {
        using var eraser = new TestEraser(Store, Time);
        NewRecording added = await StoreSamples.AddAsync(Store);
        await Store.CompleteRecordingAsync(added.Id, StoreSamples.Completion(added.StartedAt));

        Assert.Equal(ErasureOutcome.Erased, await eraser.EraseAsync(added.Id, "dpo@acme", "data-subject request DSR-17"));
        RecordingMetadata tombstone = (await Store.GetRecordingAsync(added.Id))!;

        Assert.Equal(new RecordingErasure(Time.GetUtcNow(), "data-subject request DSR-17", "dpo@acme"), tombstone.Erasure);
        Assert.True(tombstone.IsErased);
        Assert.Null(tombstone.FilePath);
        Assert.Null(tombstone.KeyId);
        Assert.Null(tombstone.ProspectNumber);
        Assert.Equal(StoreSamples.Sha('c'), tombstone.CiphertextSha256);
        Assert.Empty((await Store.SearchRecordingsAsync(new RecordingQuery { ProspectNumber = added.ProspectNumber })).Items);
        Assert.Empty((await Store.SearchRecordingsAsync(new RecordingQuery { IncludeErased = false })).Items);
        Assert.Single((await Store.SearchRecordingsAsync(new RecordingQuery())).Items);

        Assert.Equal(ErasureOutcome.AlreadyErased, await eraser.EraseAsync(added.Id, "dpo@acme", "again"));
        Assert.Equal(ErasureOutcome.NotFound, await eraser.EraseAsync(Guid.NewGuid(), "dpo@acme", "unknown"));
        Assert.False(await Store.CompleteRecordingAsync(added.Id, StoreSamples.Completion(added.StartedAt)));
        Assert.Null((await Store.GetRecordingAsync(added.Id))!.FilePath);

        AuditEntry erasure = Assert.Single(await Store.ReadAuditForRecordingAsync(added.Id));
        Assert.Equal(new AuditEvent(Time.GetUtcNow(), "dpo@acme", AuditAction.Erase, added.Id, "data-subject request DSR-17"), erasure.Event);
    }

    [Fact]
    public async Task A_legal_hold_blocks_erasure_until_released_and_both_are_audited()
    {
        using var eraser = new TestEraser(Store, Time);
        NewRecording added = await StoreSamples.AddAsync(Store);

        Assert.True(await Store.SetLegalHoldAsync(added.Id, hold: true, "legal@acme", "litigation 2025-03"));
        Assert.Equal(ErasureOutcome.OnLegalHold, await eraser.EraseAsync(added.Id, "retention", "retention period over"));
        RecordingMetadata held = (await Store.GetRecordingAsync(added.Id))!;
        Assert.True(held.LegalHold);
        Assert.Equal(added.FilePath, held.FilePath);

        Assert.True(await Store.SetLegalHoldAsync(added.Id, hold: false, "legal@acme", "litigation closed"));
        Assert.Equal(ErasureOutcome.Erased, await eraser.EraseAsync(added.Id, "retention", "retention period over"));
        Assert.False(await Store.SetLegalHoldAsync(Guid.NewGuid(), hold: true, "legal@acme", "unknown"));

        Assert.Equal(
            [AuditAction.LegalHoldPlaced, AuditAction.LegalHoldReleased, AuditAction.Erase],
            (await Store.ReadAuditForRecordingAsync(added.Id)).Select(e => e.Event.Action));
    }

    [Fact]
    public async Task The_audit_log_numbers_entries_from_one_and_reads_them_in_pages()
    {
        NewRecording added = await StoreSamples.AddAsync(Store);
        AuditEntry first = await Store.AppendAuditAsync(new AuditEvent(Time.GetUtcNow(), "alice", AuditAction.View, added.Id, "quality review"));
        AuditEntry second = await Store.AppendAuditAsync(new AuditEvent(Time.GetUtcNow(), "bob", AuditAction.Search, null, "complaint", "number=+33612345678"));
        AuditEntry third = await Store.AppendAuditAsync(new AuditEvent(Time.GetUtcNow(), "carol", AuditAction.Export, added.Id, "court order", "out=/tmp/x.ogg"));

        Assert.Equal([1L, 2L, 3L], new[] { first.Sequence, second.Sequence, third.Sequence });
        Assert.Equal([first, second], await Store.ReadAuditAsync(0, 2));
        Assert.Equal([third], await Store.ReadAuditAsync(2, 100));
        Assert.Equal([first, third], await Store.ReadAuditForRecordingAsync(added.Id));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.AppendAuditAsync(new AuditEvent(Time.GetUtcNow(), " ", AuditAction.View, added.Id, "why")));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.AppendAuditAsync(new AuditEvent(Time.GetUtcNow(), "who", AuditAction.View, added.Id, "")));
    }

    [Fact]
    public async Task Writes_after_dispose_are_refused_and_queued_ones_were_kept()
    {
        Assert.True(Store.EnqueueCall(StoreSamples.Call("last")));
        await Store.DisposeAsync();

        Assert.Throws<ObjectDisposedException>(() => Store.EnqueueCall(StoreSamples.Call("late")));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => Store.SaveCallAsync(StoreSamples.Call("late")));

        Store = await OpenStoreAgainAsync();
        Assert.NotNull(await Store.GetCallAsync("last"));
    }

    /// <summary>Opens the same store again after it was disposed (its data kept).</summary>
    protected abstract Task<IMetadataStore> OpenStoreAgainAsync();
}
