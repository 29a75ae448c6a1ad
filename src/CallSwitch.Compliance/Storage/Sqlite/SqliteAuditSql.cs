using Microsoft.Data.Sqlite;

namespace CallSwitch.Compliance.Storage.Sqlite;

/// <summary>The SQL of the audit log.</summary>
internal static class SqliteAuditSql
{
    internal const string Columns = "sequence, at_us, actor, action, recording_id, purpose, detail, prev_hash, hash";

    /// <summary>
    /// Appends an entry chained to the last one. Only the store's one writer calls this, inside its
    /// transaction, so the last entry read here is the one this follows (a rolled-back savepoint
    /// takes its number and hash with it).
    /// </summary>
    public static AuditEntry Append(SqliteConnection connection, SqliteTransaction transaction, AuditEvent auditEvent)
    {
        long last = 0;
        string previous = AuditChain.Genesis;
        using (SqliteCommand head = connection.CreateCommand())
        {
            head.Transaction = transaction;
            head.CommandText = "SELECT sequence, hash FROM audit_log ORDER BY sequence DESC LIMIT 1";
            using SqliteDataReader reader = head.ExecuteReader();
            if (reader.Read())
            {
                last = reader.GetInt64(0);

                // The first entry after the chain's migration follows the genesis, not an unchained entry.
                previous = reader.IsDBNull(1) ? AuditChain.Genesis : reader.GetString(1);
            }
        }

        long sequence = last + 1;
        long at = SqliteCodes.ToMicros(auditEvent.At);
        string action = SqliteCodes.ToCode(auditEvent.Action);
        string? recording = auditEvent.RecordingId is { } id ? SqliteCodes.ToCode(id) : null;
        string hash = AuditChain.Hash(previous, sequence, at, auditEvent.Actor, action, recording, auditEvent.Purpose, auditEvent.Detail);

        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO audit_log (sequence, at_us, actor, action, recording_id, purpose, detail, prev_hash, hash)
            VALUES ($sequence, $at_us, $actor, $action, $recording_id, $purpose, $detail, $prev_hash, $hash)
            """;
        SqliteParameterCollection p = command.Parameters;
        p.AddWithValue("$sequence", sequence);
        p.AddWithValue("$at_us", at);
        p.AddWithValue("$actor", auditEvent.Actor);
        p.AddWithValue("$action", action);
        p.AddWithValue("$recording_id", (object?)recording ?? DBNull.Value);
        p.AddWithValue("$purpose", auditEvent.Purpose);
        p.AddWithValue("$detail", (object?)auditEvent.Detail ?? DBNull.Value);
        p.AddWithValue("$prev_hash", previous);
        p.AddWithValue("$hash", hash);
        command.ExecuteNonQuery();
        return new AuditEntry(sequence, auditEvent, hash);
    }

    /// <summary>Walks the whole log in order, checking every link and hash, then that the log reaches every anchor.</summary>
    public static AuditVerification Verify(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyCollection<AuditAnchor> anchors)
    {
        var byEntry = anchors.GroupBy(a => a.Sequence).ToDictionary(g => g.Key, g => g.ToList());
        long chainFrom;
        using (SqliteCommand start = connection.CreateCommand())
        {
            start.Transaction = transaction;
            start.CommandText = "SELECT chain_from FROM audit_chain";
            chainFrom = start.ExecuteScalar() is long from ? from : 1;
        }

        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT sequence, at_us, actor, action, recording_id, purpose, detail, prev_hash, hash FROM audit_log ORDER BY sequence";
        using SqliteDataReader reader = command.ExecuteReader();
        long expected = 1;
        long entries = 0;
        long unchained = 0;
        string previous = AuditChain.Genesis;
        AuditAnchor? head = null;
        while (reader.Read())
        {
            long sequence = reader.GetInt64(0);
            entries++;
            AuditVerification Bad(long at, string problem) => new(entries, unchained, head, at, problem);
            if (sequence != expected)
            {
                return Bad(expected, $"entry {expected} is missing: the log goes from entry {expected - 1} to entry {sequence}");
            }

            expected++;
            string? prevHash = SqliteCallSql.NullableString(reader, 7);
            string? hash = SqliteCallSql.NullableString(reader, 8);
            if (sequence < chainFrom && hash is null && prevHash is null)
            {
                unchained++;
                continue;
            }

            if (hash is null || prevHash is null)
            {
                return Bad(sequence, $"entry {sequence} has no hash: it was inserted or rewritten outside the store");
            }

            if (!string.Equals(prevHash, previous, StringComparison.Ordinal))
            {
                return Bad(sequence, $"entry {sequence} does not follow entry {sequence - 1}: an entry was changed, removed, inserted or moved here");
            }

            string computed = AuditChain.Hash(
                previous, sequence, reader.GetInt64(1), reader.GetString(2), reader.GetString(3), SqliteCallSql.NullableString(reader, 4), reader.GetString(5), SqliteCallSql.NullableString(reader, 6));
            if (!string.Equals(computed, hash, StringComparison.Ordinal))
            {
                return Bad(sequence, $"entry {sequence} was changed: its content does not match its hash");
            }

            if (byEntry.TryGetValue(sequence, out List<AuditAnchor>? here) && here.Any(a => !string.Equals(a.Hash, hash, StringComparison.OrdinalIgnoreCase)))
            {
                return Bad(sequence, $"entry {sequence} differs from the anchor {here[0]}: the log was rewritten up to here");
            }

            previous = hash;
            head = new AuditAnchor(sequence, hash);
        }

        if (anchors.Where(a => a.Sequence >= expected).OrderBy(a => a.Sequence).FirstOrDefault() is { } beyond)
        {
            return new AuditVerification(
                entries,
                unchained,
                head,
                expected,
                $"entry {expected} is missing: the log ends at entry {expected - 1} but the anchor {beyond} names entry {beyond.Sequence} (the tail was cut)");
        }

        return new AuditVerification(entries, unchained, head, null, null);
    }

    public static IReadOnlyList<AuditEntry> Search(SqliteConnection connection, SqliteTransaction transaction, AuditQuery query)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"""
            SELECT {Columns} FROM audit_log
            WHERE ($actor IS NULL OR actor = $actor)
              AND ($recording_id IS NULL OR recording_id = $recording_id)
              AND ($action IS NULL OR action = $action)
              AND ($from IS NULL OR at_us >= $from)
              AND ($before IS NULL OR at_us < $before)
            ORDER BY sequence LIMIT $limit
            """;
        SqliteParameterCollection p = command.Parameters;
        p.AddWithValue("$actor", (object?)query.Actor ?? DBNull.Value);
        p.AddWithValue("$recording_id", query.RecordingId is { } id ? SqliteCodes.ToCode(id) : DBNull.Value);
        p.AddWithValue("$action", query.Action is { } action ? SqliteCodes.ToCode(action) : DBNull.Value);
        p.AddWithValue("$from", query.From is { } from ? SqliteCodes.ToMicros(from) : DBNull.Value);
        p.AddWithValue("$before", query.Before is { } before ? SqliteCodes.ToMicros(before) : DBNull.Value);
        p.AddWithValue("$limit", query.Limit);
        return ReadAll(command);
    }

    /// <summary>The last entry's anchor; null when the log has no chained entry.</summary>
    public static AuditAnchor? Head(SqliteConnection connection, SqliteTransaction transaction)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT sequence, hash FROM audit_log ORDER BY sequence DESC LIMIT 1";
        using SqliteDataReader reader = command.ExecuteReader();
        return reader.Read() && !reader.IsDBNull(1) ? new AuditAnchor(reader.GetInt64(0), reader.GetString(1)) : null;
    }

    public static IReadOnlyList<AuditEntry> ReadAfter(SqliteConnection connection, SqliteTransaction transaction, long afterSequence, int limit)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT {Columns} FROM audit_log WHERE sequence > $after ORDER BY sequence LIMIT $limit";
        command.Parameters.AddWithValue("$after", afterSequence);
        command.Parameters.AddWithValue("$limit", limit);
        return ReadAll(command);
    }

    public static IReadOnlyList<AuditEntry> ReadForRecording(SqliteConnection connection, SqliteTransaction transaction, Guid recordingId)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT {Columns} FROM audit_log WHERE recording_id = $recording_id ORDER BY sequence";
        command.Parameters.AddWithValue("$recording_id", SqliteCodes.ToCode(recordingId));
        return ReadAll(command);
    }

    internal static List<AuditEntry> ReadAll(SqliteCommand command)
    {
        var entries = new List<AuditEntry>();
        using SqliteDataReader reader = command.ExecuteReader();
        while (reader.Read())
        {
            var auditEvent = new AuditEvent(
                SqliteCodes.FromMicros(reader.GetInt64(1)),
                reader.GetString(2),
                SqliteCodes.ToAuditAction(reader.GetString(3)),
                reader.IsDBNull(4) ? null : Guid.Parse(reader.GetString(4)),
                reader.GetString(5),
                SqliteCallSql.NullableString(reader, 6));
            entries.Add(new AuditEntry(reader.GetInt64(0), auditEvent, SqliteCallSql.NullableString(reader, 8)));
        }

        return entries;
    }
}
