using Microsoft.Data.Sqlite;

namespace CallSwitch.Compliance.Storage.Sqlite;

/// <summary>The SQL of the retention sidecar's scan and deadline updates.</summary>
internal static class SqliteRetentionSql
{
    public static IReadOnlyList<RetentionCandidate> List(SqliteConnection connection, SqliteTransaction transaction, Guid? after, int limit, DateTimeOffset asOf)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"""
            SELECT r.recording_id, r.campaign_id, r.rule_id, r.started_at_us, r.retention_until_us, {SqliteLegalHoldSql.Held("r")}, r.erasing_at_us
            FROM recordings r
            WHERE r.erased_at_us IS NULL AND r.status <> 'in-progress' AND r.recording_id > $after
            ORDER BY r.recording_id
            LIMIT $limit
            """;
        command.Parameters.AddWithValue("$after", after is { } id ? SqliteCodes.ToCode(id) : string.Empty);
        command.Parameters.AddWithValue("$limit", limit);
        command.Parameters.AddWithValue("$now_us", SqliteCodes.ToMicros(asOf));
        var rows = new List<RetentionCandidate>(limit);
        using SqliteDataReader reader = command.ExecuteReader();
        while (reader.Read())
        {
            rows.Add(new RetentionCandidate(
                Guid.Parse(reader.GetString(0)),
                reader.GetString(1),
                reader.GetString(2),
                SqliteCodes.FromMicros(reader.GetInt64(3)),
                SqliteCodes.FromMicros(reader.GetInt64(4)),
                reader.GetInt64(5) != 0,
                reader.IsDBNull(6) ? null : SqliteCodes.FromMicros(reader.GetInt64(6))));
        }

        return rows;
    }

    public static int Shorten(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<(Guid Id, DateTimeOffset Deadline)> deadlines)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            UPDATE recordings SET retention_until_us = $deadline_us
            WHERE recording_id = $recording_id AND erased_at_us IS NULL AND retention_until_us > $deadline_us
            """;
        SqliteParameter id = command.Parameters.Add("$recording_id", SqliteType.Text);
        SqliteParameter deadline = command.Parameters.Add("$deadline_us", SqliteType.Integer);
        int changed = 0;
        foreach ((Guid recordingId, DateTimeOffset until) in deadlines)
        {
            id.Value = SqliteCodes.ToCode(recordingId);
            deadline.Value = SqliteCodes.ToMicros(until);
            changed += command.ExecuteNonQuery();
        }

        return changed;
    }

    public static bool Record(SqliteConnection connection, SqliteTransaction transaction, RetentionRun run)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO retention_runs (started_at_us, ended_at_us, as_of_us, purged, held, failed)
            VALUES ($started_at_us, $ended_at_us, $as_of_us, $purged, $held, $failed)
            """;
        command.Parameters.AddWithValue("$started_at_us", SqliteCodes.ToMicros(run.StartedAt));
        command.Parameters.AddWithValue("$ended_at_us", SqliteCodes.ToMicros(run.EndedAt));
        command.Parameters.AddWithValue("$as_of_us", SqliteCodes.ToMicros(run.AsOf));
        command.Parameters.AddWithValue("$purged", run.Purged);
        command.Parameters.AddWithValue("$held", run.Held);
        command.Parameters.AddWithValue("$failed", run.Failed);
        return command.ExecuteNonQuery() == 1;
    }

    public static RetentionRun? Last(SqliteConnection connection, SqliteTransaction transaction)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT started_at_us, ended_at_us, as_of_us, purged, held, failed FROM retention_runs ORDER BY run_id DESC LIMIT 1";
        using SqliteDataReader reader = command.ExecuteReader();
        return reader.Read()
            ? new RetentionRun(
                SqliteCodes.FromMicros(reader.GetInt64(0)),
                SqliteCodes.FromMicros(reader.GetInt64(1)),
                SqliteCodes.FromMicros(reader.GetInt64(2)),
                reader.GetInt64(3),
                reader.GetInt64(4),
                reader.GetInt64(5))
            : null;
    }

    public static IReadOnlyList<CampaignRetentionStatus> Status(SqliteConnection connection, SqliteTransaction transaction, DateTimeOffset now)
    {
        RetentionRun? last = Last(connection, transaction);
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;

        // Purged in the last run: the tombstones retention left between its start and its end.
        command.CommandText = $"""
            WITH live AS (
                SELECT r.campaign_id, r.file_size, r.retention_until_us, {SqliteLegalHoldSql.Held("r")} AS held
                FROM recordings r WHERE r.erased_at_us IS NULL),
            kept AS (
                SELECT campaign_id, COUNT(*) AS kept, COALESCE(SUM(file_size), 0) AS bytes,
                       MIN(CASE WHEN held = 0 THEN retention_until_us END) AS next_us, SUM(held) AS held
                FROM live GROUP BY campaign_id),
            purged AS (
                SELECT campaign_id, COUNT(*) AS purged FROM recordings
                WHERE erased_by = 'retention' AND erased_at_us BETWEEN $run_start_us AND $run_end_us GROUP BY campaign_id),
            campaigns AS (SELECT campaign_id FROM kept UNION SELECT campaign_id FROM purged)
            SELECT c.campaign_id, COALESCE(k.kept, 0), COALESCE(k.bytes, 0), k.next_us, COALESCE(k.held, 0), COALESCE(p.purged, 0)
            FROM campaigns c LEFT JOIN kept k ON k.campaign_id = c.campaign_id LEFT JOIN purged p ON p.campaign_id = c.campaign_id
            ORDER BY c.campaign_id
            """;
        command.Parameters.AddWithValue("$now_us", SqliteCodes.ToMicros(now));
        command.Parameters.AddWithValue("$run_start_us", last is null ? 1L : SqliteCodes.ToMicros(last.StartedAt));
        command.Parameters.AddWithValue("$run_end_us", last is null ? 0L : SqliteCodes.ToMicros(last.EndedAt));
        var rows = new List<CampaignRetentionStatus>();
        using SqliteDataReader reader = command.ExecuteReader();
        while (reader.Read())
        {
            rows.Add(new CampaignRetentionStatus(
                reader.GetString(0),
                reader.GetInt64(1),
                reader.GetInt64(2),
                SqliteCallSql.NullableInstant(reader, 3),
                reader.GetInt64(4),
                reader.GetInt64(5)));
        }

        return rows;
    }
}
