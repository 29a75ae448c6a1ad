using CallSwitch.Compliance.Rules;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;

namespace CallSwitch.Compliance.Storage.Sqlite;

/// <summary>The SQL of the recordings table and its pauses and purposes.</summary>
internal static class SqliteRecordingSql
{
    private const string PausesTable = "recording_pauses";
    private const string BargesTable = "recording_barges";

    internal const string Columns =
        "recording_id, call_id, campaign_id, agent_id, prospect_number, started_at_us, ended_at_us, duration_us, rule_id, " +
        "announcement_played, announcement_at_us, announcement_sha256, opposed_by, opposed_at_us, legal_basis, " +
        "retention_until_us, legal_hold, key_id, file_path, file_size, ciphertext_sha256, status, dropped_packets, " +
        "erased_at_us, erased_reason, erased_by, erasing_at_us, prospect_number_hmac";

    public static void Insert(SqliteConnection connection, SqliteTransaction transaction, NewRecording recording)
    {
        using (SqliteCommand command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = """
                INSERT INTO recordings (recording_id, call_id, campaign_id, agent_id, prospect_number, started_at_us, rule_id,
                                        announcement_played, announcement_at_us, announcement_sha256, legal_basis,
                                        retention_until_us, legal_hold, key_id, file_path, status, dropped_packets)
                VALUES ($recording_id, $call_id, $campaign_id, $agent_id, $prospect_number, $started_at_us, $rule_id,
                        $announcement_played, $announcement_at_us, $announcement_sha256, $legal_basis,
                        $retention_until_us, $legal_hold, $key_id, $file_path, 'in-progress', 0)
                """;
            SqliteParameterCollection p = command.Parameters;
            p.AddWithValue("$recording_id", SqliteCodes.ToCode(recording.Id));
            p.AddWithValue("$call_id", recording.CallId);
            p.AddWithValue("$campaign_id", recording.CampaignId);
            p.AddWithValue("$agent_id", recording.AgentId);
            p.AddWithValue("$prospect_number", recording.ProspectNumber);
            p.AddWithValue("$started_at_us", SqliteCodes.ToMicros(recording.StartedAt));
            p.AddWithValue("$rule_id", recording.RuleId);
            SqliteCallSql.AddAnnouncement(p, recording.Announcement);
            p.AddWithValue("$legal_basis", SqliteCodes.ToCode(recording.LegalBasis));
            p.AddWithValue("$retention_until_us", SqliteCodes.ToMicros(recording.RetentionUntil));
            p.AddWithValue("$legal_hold", recording.LegalHold ? 1 : 0);
            p.AddWithValue("$key_id", recording.KeyId is { } keyId ? (object)SqliteCodes.ToCode(keyId) : DBNull.Value);
            p.AddWithValue("$file_path", (object?)recording.FilePath ?? DBNull.Value);
            command.ExecuteNonQuery();
        }

        using SqliteCommand purpose = connection.CreateCommand();
        purpose.Transaction = transaction;
        purpose.CommandText = "INSERT INTO recording_purposes (recording_id, ordinal, purpose) VALUES ($recording_id, $ordinal, $purpose)";
        SqliteParameter id = purpose.Parameters.AddWithValue("$recording_id", SqliteCodes.ToCode(recording.Id));
        SqliteParameter ordinal = purpose.Parameters.Add("$ordinal", SqliteType.Integer);
        SqliteParameter text = purpose.Parameters.Add("$purpose", SqliteType.Text);
        for (int i = 0; i < recording.Purposes.Count; i++)
        {
            ordinal.Value = i;
            text.Value = recording.Purposes[i];
            purpose.ExecuteNonQuery();
        }
    }

    public static bool Complete(SqliteConnection connection, SqliteTransaction transaction, Guid recordingId, RecordingCompletion completion)
    {
        string id = SqliteCodes.ToCode(recordingId);
        bool refused = completion.Opposition is not null;
        using (SqliteCommand command = connection.CreateCommand())
        {
            command.Transaction = transaction;

            // A refused recording's audio was destroyed: forget where it was and how to decrypt it.
            command.CommandText = """
                UPDATE recordings SET
                    ended_at_us = $ended_at_us,
                    duration_us = $duration_us,
                    status = $status,
                    dropped_packets = $dropped_packets,
                    opposed_by = $opposed_by,
                    opposed_at_us = $opposed_at_us,
                    file_size = $file_size,
                    ciphertext_sha256 = $ciphertext_sha256,
                    key_id = CASE WHEN $refused = 1 THEN NULL ELSE key_id END,
                    file_path = CASE WHEN $refused = 1 THEN NULL ELSE file_path END,
                    announcement_played = CASE WHEN $announcement_played = 1 THEN 1 ELSE announcement_played END,
                    announcement_at_us = CASE WHEN $announcement_played = 1 THEN $announcement_at_us ELSE announcement_at_us END,
                    announcement_sha256 = CASE WHEN $announcement_played = 1 THEN $announcement_sha256 ELSE announcement_sha256 END,
                    retention_until_us = COALESCE($retention_until_us, retention_until_us)
                WHERE recording_id = $recording_id AND erased_at_us IS NULL
                """;
            SqliteParameterCollection p = command.Parameters;
            p.AddWithValue("$recording_id", id);
            p.AddWithValue("$ended_at_us", SqliteCodes.ToMicros(completion.EndedAt));
            p.AddWithValue("$duration_us", SqliteCodes.ToMicros(completion.Duration));
            p.AddWithValue("$status", SqliteCodes.ToCode(completion.Status));
            p.AddWithValue("$dropped_packets", completion.DroppedPackets);
            p.AddWithValue("$opposed_by", completion.Opposition is { } o ? SqliteCodes.ToCode(o.By) : DBNull.Value);
            p.AddWithValue("$opposed_at_us", SqliteCallSql.Micros(completion.Opposition?.At));
            p.AddWithValue("$file_size", refused || completion.FileSize is null ? DBNull.Value : completion.FileSize.Value);
            p.AddWithValue("$ciphertext_sha256", refused || completion.CiphertextSha256 is null ? DBNull.Value : completion.CiphertextSha256.ToLowerInvariant());
            p.AddWithValue("$refused", refused ? 1 : 0);
            SqliteCallSql.AddAnnouncement(p, completion.Announcement);
            p.AddWithValue("$retention_until_us", SqliteCallSql.Micros(completion.RetentionUntil));
            if (command.ExecuteNonQuery() == 0)
            {
                return false;
            }
        }

        ReplaceSpans(connection, transaction, PausesTable, id, completion.Pauses.Select(p => (p.Start, p.End)));
        ReplaceSpans(connection, transaction, BargesTable, id, completion.Barges.Select(b => (b.Start, b.End)));
        return true;
    }

    // Completion may run twice (crash repair after a partial one): the spans are replaced, not
    // appended. The table is one of the two constants below, never text from outside.
    private static void ReplaceSpans(SqliteConnection connection, SqliteTransaction transaction, string table, string id, IEnumerable<(TimeSpan Start, TimeSpan? End)> spans)
    {
        using (SqliteCommand delete = connection.CreateCommand())
        {
            delete.Transaction = transaction;
            delete.CommandText = $"DELETE FROM {table} WHERE recording_id = $recording_id";
            delete.Parameters.AddWithValue("$recording_id", id);
            delete.ExecuteNonQuery();
        }

        using SqliteCommand insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = $"INSERT INTO {table} (recording_id, ordinal, start_us, end_us) VALUES ($recording_id, $ordinal, $start_us, $end_us)";
        insert.Parameters.AddWithValue("$recording_id", id);
        SqliteParameter ordinal = insert.Parameters.Add("$ordinal", SqliteType.Integer);
        SqliteParameter start = insert.Parameters.Add("$start_us", SqliteType.Integer);
        SqliteParameter end = insert.Parameters.Add("$end_us", SqliteType.Integer);
        int i = 0;
        foreach ((TimeSpan spanStart, TimeSpan? spanEnd) in spans)
        {
            ordinal.Value = i++;
            start.Value = SqliteCodes.ToMicros(spanStart);
            end.Value = spanEnd is { } e ? SqliteCodes.ToMicros(e) : DBNull.Value;
            insert.ExecuteNonQuery();
        }
    }

    public static bool SetLegalHold(SqliteConnection connection, SqliteTransaction transaction, Guid recordingId, bool hold, AuditEvent audit)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "UPDATE recordings SET legal_hold = $hold WHERE recording_id = $recording_id";
        command.Parameters.AddWithValue("$hold", hold ? 1 : 0);
        command.Parameters.AddWithValue("$recording_id", SqliteCodes.ToCode(recordingId));
        if (command.ExecuteNonQuery() == 0)
        {
            return false;
        }

        SqliteAuditSql.Append(connection, transaction, audit);
        return true;
    }

    public static RecordingMetadata? Get(SqliteConnection connection, SqliteTransaction transaction, Guid recordingId)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT {Columns} FROM recordings WHERE recording_id = $recording_id";
        command.Parameters.AddWithValue("$recording_id", SqliteCodes.ToCode(recordingId));
        List<RecordingMetadata> found = ReadAll(connection, transaction, command);
        return found.Count == 0 ? null : found[0];
    }

    /// <summary>
    /// The user's reach as one condition: any of its parts, each a campaign and/or a list of
    /// agents (values as parameters; an empty list of agents matches nothing).
    /// </summary>
    private static void AppendReach(StringBuilder where, List<(string Name, object Value)> parameters, IReadOnlyList<Access.RecordingReach> reach)
    {
        var any = new List<string>();
        for (int i = 0; i < reach.Count; i++)
        {
            var all = new List<string>();
            if (reach[i].CampaignId is { } campaign)
            {
                all.Add($"campaign_id = $reach_{i}_campaign");
                parameters.Add(($"$reach_{i}_campaign", campaign));
            }

            if (reach[i].Agents is { } agents)
            {
                var names = new List<string>();
                foreach (string agent in agents.Order(StringComparer.Ordinal))
                {
                    string name = $"$reach_{i}_agent_{names.Count}";
                    names.Add(name);
                    parameters.Add((name, agent));
                }

                all.Add(names.Count == 0 ? "0" : $"agent_id IN ({string.Join(", ", names)})");
            }

            any.Add(all.Count == 0 ? "1" : "(" + string.Join(" AND ", all) + ")");
        }

        where.Append(" AND (").Append(any.Count == 0 ? "0" : string.Join(" OR ", any)).Append(')');
    }

    public static RecordingPage Search(SqliteConnection connection, SqliteTransaction transaction, RecordingQuery query)
    {
        // Only fixed fragments are concatenated; every value is a parameter.
        var where = new StringBuilder("1 = 1");
        var parameters = new List<(string Name, object Value)>();
        if (query.ProspectNumber is not null)
        {
            where.Append(" AND prospect_number = $prospect_number");
            parameters.Add(("$prospect_number", query.ProspectNumber));
        }

        if (query.CampaignId is not null)
        {
            where.Append(" AND campaign_id = $campaign_id");
            parameters.Add(("$campaign_id", query.CampaignId));
        }

        if (query.AgentId is not null)
        {
            where.Append(" AND agent_id = $agent_id");
            parameters.Add(("$agent_id", query.AgentId));
        }

        if (query.StartedFrom is { } from)
        {
            where.Append(" AND started_at_us >= $from_us");
            parameters.Add(("$from_us", SqliteCodes.ToMicros(from)));
        }

        if (query.StartedBefore is { } before)
        {
            where.Append(" AND started_at_us < $before_us");
            parameters.Add(("$before_us", SqliteCodes.ToMicros(before)));
        }

        if (query.Status is { } status)
        {
            where.Append(" AND status = $status");
            parameters.Add(("$status", SqliteCodes.ToCode(status)));
        }

        if (!query.IncludeErased)
        {
            where.Append(" AND erased_at_us IS NULL");
        }

        if (query.Reach is { } reach)
        {
            AppendReach(where, parameters, reach);
        }

        long total;
        using (SqliteCommand count = connection.CreateCommand())
        {
            count.Transaction = transaction;
            count.CommandText = $"SELECT COUNT(*) FROM recordings WHERE {where}";
            AddAll(count, parameters);
            total = (long)count.ExecuteScalar()!;
        }

        if (query.After is { } after)
        {
            where.Append(" AND (started_at_us < $after_us OR (started_at_us = $after_us AND recording_id < $after_id))");
            parameters.Add(("$after_us", SqliteCodes.ToMicros(after.StartedAt)));
            parameters.Add(("$after_id", SqliteCodes.ToCode(after.Id)));
        }

        using SqliteCommand page = connection.CreateCommand();
        page.Transaction = transaction;

        // One more than the page size tells whether another page follows, without a second count.
        page.CommandText = $"SELECT {Columns} FROM recordings WHERE {where} ORDER BY started_at_us DESC, recording_id DESC LIMIT $limit";
        AddAll(page, parameters);
        page.Parameters.AddWithValue("$limit", query.PageSize + 1);
        List<RecordingMetadata> items = ReadAll(connection, transaction, page);
        RecordingCursor? next = null;
        if (items.Count > query.PageSize)
        {
            items.RemoveAt(items.Count - 1);
            RecordingMetadata last = items[^1];
            next = new RecordingCursor(last.StartedAt, last.Id);
        }

        return new RecordingPage(items, total, next);
    }

    private static void AddAll(SqliteCommand command, List<(string Name, object Value)> parameters)
    {
        foreach ((string name, object value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
    }

    internal static List<RecordingMetadata> ReadAll(SqliteConnection connection, SqliteTransaction transaction, SqliteCommand command)
    {
        var rows = new List<RecordingMetadata>();
        using (SqliteDataReader reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                rows.Add(ReadRow(reader));
            }
        }

        if (rows.Count == 0)
        {
            return rows;
        }

        Dictionary<Guid, List<RecordingPause>> pauses = rows.ToDictionary(r => r.Id, _ => new List<RecordingPause>());
        Dictionary<Guid, List<RecordingBarge>> barges = rows.ToDictionary(r => r.Id, _ => new List<RecordingBarge>());
        Dictionary<Guid, List<string>> purposes = rows.ToDictionary(r => r.Id, _ => new List<string>());
        string ids = string.Join(", ", Enumerable.Range(0, rows.Count).Select(i => "$id" + i.ToString(CultureInfo.InvariantCulture)));

        ReadSpans(connection, transaction, PausesTable, ids, rows, (id, start, end) => pauses[id].Add(new RecordingPause(start, end)));
        ReadSpans(connection, transaction, BargesTable, ids, rows, (id, start, end) => barges[id].Add(new RecordingBarge(start, end)));

        using (SqliteCommand purposeCommand = connection.CreateCommand())
        {
            purposeCommand.Transaction = transaction;
            purposeCommand.CommandText = $"SELECT recording_id, purpose FROM recording_purposes WHERE recording_id IN ({ids}) ORDER BY recording_id, ordinal";
            AddIds(purposeCommand, rows);
            using SqliteDataReader reader = purposeCommand.ExecuteReader();
            while (reader.Read())
            {
                purposes[Guid.Parse(reader.GetString(0))].Add(reader.GetString(1));
            }
        }

        return rows.ConvertAll(r => r with { Pauses = pauses[r.Id], Barges = barges[r.Id], Purposes = purposes[r.Id] });
    }

    private static void ReadSpans(SqliteConnection connection, SqliteTransaction transaction, string table, string ids, List<RecordingMetadata> rows, Action<Guid, TimeSpan, TimeSpan?> add)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT recording_id, start_us, end_us FROM {table} WHERE recording_id IN ({ids}) ORDER BY recording_id, ordinal";
        AddIds(command, rows);
        using SqliteDataReader reader = command.ExecuteReader();
        while (reader.Read())
        {
            TimeSpan? end = reader.IsDBNull(2) ? null : SqliteCodes.SpanFromMicros(reader.GetInt64(2));
            add(Guid.Parse(reader.GetString(0)), SqliteCodes.SpanFromMicros(reader.GetInt64(1)), end);
        }
    }

    private static void AddIds(SqliteCommand command, List<RecordingMetadata> rows)
    {
        for (int i = 0; i < rows.Count; i++)
        {
            command.Parameters.AddWithValue("$id" + i.ToString(CultureInfo.InvariantCulture), SqliteCodes.ToCode(rows[i].Id));
        }
    }

    private static RecordingMetadata ReadRow(SqliteDataReader reader) => new()
    {
        Id = Guid.Parse(reader.GetString(0)),
        CallId = reader.GetString(1),
        CampaignId = reader.GetString(2),
        AgentId = reader.GetString(3),
        ProspectNumber = SqliteCallSql.NullableString(reader, 4),
        StartedAt = SqliteCodes.FromMicros(reader.GetInt64(5)),
        EndedAt = SqliteCallSql.NullableInstant(reader, 6),
        Duration = reader.IsDBNull(7) ? null : SqliteCodes.SpanFromMicros(reader.GetInt64(7)),
        RuleId = reader.GetString(8),
        Announcement = SqliteCallSql.ReadAnnouncement(reader, 9),
        Opposition = reader.IsDBNull(12)
            ? null
            : new RecordingOpposition(SqliteCodes.ToOppositionSource(reader.GetString(12)), SqliteCodes.FromMicros(reader.GetInt64(13))),
        LegalBasis = SqliteCodes.ToLegalBasis(reader.GetString(14)),
        RetentionUntil = SqliteCodes.FromMicros(reader.GetInt64(15)),
        LegalHold = reader.GetInt64(16) != 0,
        KeyId = reader.IsDBNull(17) ? null : Guid.Parse(reader.GetString(17)),
        FilePath = SqliteCallSql.NullableString(reader, 18),
        FileSize = reader.IsDBNull(19) ? null : reader.GetInt64(19),
        CiphertextSha256 = SqliteCallSql.NullableString(reader, 20),
        Status = SqliteCodes.ToStatus(reader.GetString(21)),
        DroppedPackets = reader.GetInt64(22),
        Erasure = reader.IsDBNull(23)
            ? null
            : new RecordingErasure(SqliteCodes.FromMicros(reader.GetInt64(23)), reader.GetString(24), reader.GetString(25)),
        ErasingSince = SqliteCallSql.NullableInstant(reader, 26),
        ProspectNumberDigest = SqliteCallSql.NullableString(reader, 27),
        Pauses = [],
        Purposes = [],
    };
}
