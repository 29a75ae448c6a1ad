using CallSwitch.Compliance.Access;
using CallSwitch.Compliance.Storage;
using CallSwitch.Compliance.Storage.Sqlite;
using CallSwitch.Compliance.Tests.Erasure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace CallSwitch.Compliance.Tests.Storage;

/// <summary>
/// The audit log's hash chain on a real store after a day of simulated activity: verify passes,
/// then fails naming the first bad entry after each attack an attacker with the file could make
/// (the append-only triggers dropped by hand).
/// </summary>
public sealed class AuditChainTests : IDisposable
{
    private const int Recordings = 60;

    /// <summary>The migration that adds the chain (renumbered with it, if ever).</summary>
    private static readonly int ChainVersion = SqliteMigrations.All.Single(m => m.Description.Contains("hash chain", StringComparison.Ordinal)).Version;

    private readonly TempDataDirectory _directory = new();
    private readonly FakeTimeProvider _time = new(StoreSamples.T0);

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task A_day_of_activity_verifies_and_each_entry_hashes_its_predecessor()
    {
        (long count, AuditAnchor head) = await SimulateDayAsync();

        await using SqliteMetadataStore store = Open();
        AuditVerification result = await store.VerifyAuditAsync([head]);

        Assert.True(result.Intact, result.Problem);
        Assert.True(count > 150, $"{count} entries");
        Assert.Equal(count, result.Entries);
        Assert.Equal(0, result.UnchainedEntries);
        Assert.Equal(head, result.Head);
        IReadOnlyList<AuditEntry> entries = await store.ReadAuditAsync(0, 10_000);
        Assert.Equal(Enumerable.Range(1, (int)count).Select(i => (long)i), entries.Select(e => e.Sequence));
        AuditEntry first = entries[0];
        Assert.Equal(
            AuditChain.Hash(AuditChain.Genesis, 1, SqliteCodes.ToMicros(first.Event.At), first.Event.Actor, SqliteCodes.ToCode(first.Event.Action),
                first.Event.RecordingId?.ToString("D"), first.Event.Purpose, first.Event.Detail),
            first.Hash);
    }

    [Fact]
    public async Task One_byte_changed_in_an_entry_names_that_entry()
    {
        (_, AuditAnchor head) = await SimulateDayAsync();

        // The last letter of the purpose becomes the next one: one byte of the entry differs.
        Tamper("UPDATE audit_log SET purpose = substr(purpose, 1, length(purpose) - 1) || char(unicode(substr(purpose, -1)) + 1) WHERE sequence = 150");

        AuditVerification result = await VerifyAsync(head);
        Assert.Equal(150, result.FirstBadSequence);
        Assert.Equal("entry 150 was changed: its content does not match its hash", result.Problem);
    }

    [Fact]
    public async Task A_changed_entry_whose_hash_was_recomputed_breaks_the_next_link()
    {
        (_, AuditAnchor head) = await SimulateDayAsync();
        await using (SqliteMetadataStore store = Open())
        {
            AuditEntry victim = (await store.ReadAuditAsync(99, 1))[0];
            string previous = (await store.ReadAuditAsync(98, 1))[0].Hash!;
            string forged = AuditChain.Hash(previous, 100, SqliteCodes.ToMicros(victim.Event.At), "someone-else", SqliteCodes.ToCode(victim.Event.Action),
                victim.Event.RecordingId?.ToString("D"), victim.Event.Purpose, victim.Event.Detail);
            Tamper($"UPDATE audit_log SET actor = 'someone-else', hash = '{forged}' WHERE sequence = 100");
        }

        AuditVerification result = await VerifyAsync(head);
        Assert.Equal(101, result.FirstBadSequence);
        Assert.StartsWith("entry 101 does not follow entry 100", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_deleted_entry_is_named_as_missing()
    {
        (_, AuditAnchor head) = await SimulateDayAsync();

        Tamper("DELETE FROM audit_log WHERE sequence = 77");

        AuditVerification result = await VerifyAsync(head);
        Assert.Equal(77, result.FirstBadSequence);
        Assert.Equal("entry 77 is missing: the log goes from entry 76 to entry 78", result.Problem);
    }

    [Fact]
    public async Task A_deleted_entry_with_the_rest_renumbered_breaks_the_chain_there()
    {
        (_, AuditAnchor head) = await SimulateDayAsync();

        Tamper("DELETE FROM audit_log WHERE sequence = 77", "UPDATE audit_log SET sequence = sequence - 1 WHERE sequence > 77");

        AuditVerification result = await VerifyAsync(head);
        Assert.Equal(77, result.FirstBadSequence);
        Assert.StartsWith("entry 77 does not follow entry 76", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_swapped_entries_name_the_first_of_them()
    {
        (_, AuditAnchor head) = await SimulateDayAsync();

        Tamper(
            "UPDATE audit_log SET sequence = -1 WHERE sequence = 120",
            "UPDATE audit_log SET sequence = 120 WHERE sequence = 121",
            "UPDATE audit_log SET sequence = 121 WHERE sequence = -1");

        AuditVerification result = await VerifyAsync(head);
        Assert.Equal(120, result.FirstBadSequence);
        Assert.StartsWith("entry 120 does not follow entry 119", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_inserted_entry_is_named()
    {
        (_, AuditAnchor head) = await SimulateDayAsync();

        Tamper(
            "UPDATE audit_log SET sequence = sequence + 100000 WHERE sequence > 50",
            "UPDATE audit_log SET sequence = sequence - 100000 + 1 WHERE sequence > 100000",
            "DROP TRIGGER audit_log_chained",
            "INSERT INTO audit_log (sequence, at_us, actor, action, purpose, detail, prev_hash, hash) " +
            "SELECT 51, at_us, 'mallory', 'view', 'alibi', NULL, hash, hash FROM audit_log WHERE sequence = 50");

        AuditVerification result = await VerifyAsync(head);
        Assert.Equal(51, result.FirstBadSequence);
        Assert.Equal("entry 51 was changed: its content does not match its hash", result.Problem);
    }

    [Fact]
    public async Task A_cut_tail_passes_alone_but_fails_against_an_anchor()
    {
        (long count, AuditAnchor head) = await SimulateDayAsync();

        Tamper($"DELETE FROM audit_log WHERE sequence > {count - 5}");

        await using SqliteMetadataStore store = Open();
        Assert.True((await store.VerifyAuditAsync([])).Intact);
        AuditVerification result = await store.VerifyAuditAsync([head]);
        Assert.Equal(count - 4, result.FirstBadSequence);
        Assert.Equal(
            $"entry {count - 4} is missing: the log ends at entry {count - 5} but the anchor {head} names entry {count} (the tail was cut)",
            result.Problem);
    }

    [Fact]
    public async Task A_rewritten_chain_differs_from_the_anchor_it_had()
    {
        (_, AuditAnchor head) = await SimulateDayAsync();
        AuditAnchor early;
        await using (SqliteMetadataStore store = Open())
        {
            AuditEntry entry = (await store.ReadAuditAsync(9, 1))[0];
            early = new AuditAnchor(entry.Sequence, entry.Hash!);
        }

        // Rewriting from entry 1 recomputes every hash after it: the chain holds but no longer reaches the anchor's hash.
        await RewriteChainAsync(actorOfEntry1: "nobody");

        AuditVerification result = await VerifyAsync(early, head);
        Assert.Equal(10, result.FirstBadSequence);
        Assert.StartsWith("entry 10 differs from the anchor 10:", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_file_refuses_unchained_entries_and_anchors_read_back()
    {
        await using SqliteMetadataStore store = Open();
        await store.AppendAuditAsync(new AuditEvent(_time.GetUtcNow(), "a", AuditAction.Search, null, "p"));
        AuditAnchor head = (await store.AuditHeadAsync())!;
        await store.FlushAsync();

        SqliteException error = Assert.Throws<SqliteException>(() => Tamper("INSERT INTO audit_log (at_us, actor, action, purpose) VALUES (0, 'x', 'view', 'p')"));
        Assert.Contains("hash-chained", error.Message, StringComparison.Ordinal);
        Assert.True(AuditAnchor.TryParse(head.ToString(), out AuditAnchor? read));
        Assert.Equal(head, read);
        Assert.False(AuditAnchor.TryParse("1:abc", out _));
        Assert.False(AuditAnchor.TryParse("0:" + new string('a', 64), out _));
    }

    [Fact]
    public async Task Entries_written_before_the_chain_stay_unchained_and_the_chain_starts_after_them()
    {
        string path = Path.Combine(_directory.Path, SqliteMetadataStoreOptions.DefaultFileName);
        using (var raw = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            raw.Open();
            SqliteMigrator.Migrate(raw, path, SqliteMigrations.All.Where(m => m.Version < ChainVersion).ToList(), _time);
            using SqliteCommand old = raw.CreateCommand();
            old.CommandText = "INSERT INTO audit_log (at_us, actor, action, purpose) VALUES (1, 'a', 'search', 'p'), (2, 'b', 'search', 'p')";
            old.ExecuteNonQuery();
        }

        await using SqliteMetadataStore store = Open();
        AuditEntry appended = await store.AppendAuditAsync(new AuditEvent(_time.GetUtcNow(), "c", AuditAction.Search, null, "p"));
        AuditVerification result = await store.VerifyAuditAsync([]);

        Assert.Equal(3, appended.Sequence);
        Assert.True(result.Intact, result.Problem);
        Assert.Equal(3, result.Entries);
        Assert.Equal(2, result.UnchainedEntries);
        Assert.Equal(new AuditAnchor(3, appended.Hash!), result.Head);
    }

    [Fact]
    public async Task The_log_is_searched_by_user_recording_action_and_dates()
    {
        await SimulateDayAsync();
        await using SqliteMetadataStore store = Open();
        IReadOnlyList<AuditEntry> all = await store.ReadAuditAsync(0, 10_000);
        Guid recording = all.First(e => e.Event.Action == AuditAction.Export).Event.RecordingId!.Value;
        DateTimeOffset from = StoreSamples.T0.AddHours(2);
        DateTimeOffset before = StoreSamples.T0.AddHours(4);

        Assert.Equal(all.Where(e => e.Event.Actor == "dpo").Select(e => e.Sequence), (await store.SearchAuditAsync(new AuditQuery { Actor = "dpo" })).Select(e => e.Sequence));
        Assert.Equal(
            all.Where(e => e.Event.RecordingId == recording).Select(e => e.Event.Action),
            (await store.SearchAuditAsync(new AuditQuery { RecordingId = recording })).Select(e => e.Event.Action));
        Assert.Equal(
            all.Where(e => e.Event.Action == AuditAction.Play && e.Event.At >= from && e.Event.At < before).Select(e => e.Sequence),
            (await store.SearchAuditAsync(new AuditQuery { Action = AuditAction.Play, From = from, Before = before })).Select(e => e.Sequence));
        Assert.Equal(3, (await store.SearchAuditAsync(new AuditQuery { Limit = 3 })).Count);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.SearchAuditAsync(new AuditQuery { Limit = 0 }));
    }

    /// <summary>A day: recordings made, searched, listened to, exported, held and erased, users managed and sign-ins, every few minutes.</summary>
    private async Task<(long Count, AuditAnchor Head)> SimulateDayAsync()
    {
        await using SqliteMetadataStore store = Open();
        var access = new RecordingAccess(store, store, _time);
        using var eraser = new TestEraser(store, _time);
        await store.AddUserAsync(new NewUser("qa", "h", null, [new(Role.Quality, AccessScope.All)]), "root");
        for (int i = 0; i < Recordings; i++)
        {
            _time.Advance(TimeSpan.FromMinutes(7));
            NewRecording recording = await StoreSamples.AddAsync(store, number: $"+3361234{i:D4}", startedAt: _time.GetUtcNow());
            await access.SearchAsync(new RecordingQuery { CampaignId = "acme-fr" }, "qa", "quality review");
            await access.OpenForAccessAsync(recording.Id, "qa", "quality review", AuditAction.Play, "heard 42 s");
            if (i % 5 == 0)
            {
                await access.OpenForAccessAsync(recording.Id, "dpo", "request R-" + i, AuditAction.Export, "to /tmp/r.ogg");
                await access.SetLegalHoldAsync(recording.Id, true, "dpo", "dispute D-" + i);
                await access.SetLegalHoldAsync(recording.Id, false, "dpo", "dispute closed");
            }

            if (i % 7 == 0)
            {
                await eraser.EraseAsync(recording.Id, "retention", "retention deadline");
                await store.SetGrantAsync("qa", new RoleGrant(Role.Manager, AccessScope.Campaign("c" + i)), true, "root");
            }
        }

        AuditAnchor head = (await store.AuditHeadAsync())!;
        return (head.Sequence, head);
    }

    private async Task RewriteChainAsync(string actorOfEntry1)
    {
        await using SqliteMetadataStore store = Open();
        IReadOnlyList<AuditEntry> entries = await store.ReadAuditAsync(0, 10_000);
        await store.DisposeAsync();
        var sql = new List<string> { $"UPDATE audit_log SET actor = '{actorOfEntry1}' WHERE sequence = 1" };
        string previous = AuditChain.Genesis;
        foreach (AuditEntry e in entries)
        {
            string actor = e.Sequence == 1 ? actorOfEntry1 : e.Event.Actor;
            string hash = AuditChain.Hash(previous, e.Sequence, SqliteCodes.ToMicros(e.Event.At), actor, SqliteCodes.ToCode(e.Event.Action), e.Event.RecordingId?.ToString("D"), e.Event.Purpose, e.Event.Detail);
            sql.Add($"UPDATE audit_log SET prev_hash = '{previous}', hash = '{hash}' WHERE sequence = {e.Sequence}");
            previous = hash;
        }

        Tamper([.. sql]);
    }

    private async Task<AuditVerification> VerifyAsync(params AuditAnchor[] anchors)
    {
        await using SqliteMetadataStore store = Open();
        AuditVerification result = await store.VerifyAuditAsync(anchors);
        Assert.False(result.Intact);
        return result;
    }

    /// <summary>What an attacker with the file does: drop the append-only triggers, then edit.</summary>
    private void Tamper(params string[] statements)
    {
        using var raw = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(_directory.Path, SqliteMetadataStoreOptions.DefaultFileName),
            Pooling = false,
        }.ToString());
        raw.Open();
        using SqliteTransaction transaction = raw.BeginTransaction();
        foreach (string sql in (string[])["DROP TRIGGER IF EXISTS audit_log_no_update", "DROP TRIGGER IF EXISTS audit_log_no_delete", .. statements])
        {
            using SqliteCommand command = raw.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            command.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    private SqliteMetadataStore Open() =>
        SqliteMetadataStore.Open(new SqliteMetadataStoreOptions { DataDirectory = _directory.Path, Time = _time });
}
