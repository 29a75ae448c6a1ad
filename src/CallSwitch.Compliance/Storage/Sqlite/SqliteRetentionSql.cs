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
}
