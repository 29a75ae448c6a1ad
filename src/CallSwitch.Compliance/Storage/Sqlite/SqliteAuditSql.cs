using Microsoft.Data.Sqlite;

namespace CallSwitch.Compliance.Storage.Sqlite;

/// <summary>The SQL of the audit log.</summary>
internal static class SqliteAuditSql
{
    private const string Columns = "sequence, at_us, actor, action, recording_id, purpose, detail";

    public static AuditEntry Append(SqliteConnection connection, SqliteTransaction transaction, AuditEvent auditEvent)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO audit_log (at_us, actor, action, recording_id, purpose, detail)
            VALUES ($at_us, $actor, $action, $recording_id, $purpose, $detail)
            RETURNING sequence
            """;
        SqliteParameterCollection p = command.Parameters;
        p.AddWithValue("$at_us", SqliteCodes.ToMicros(auditEvent.At));
        p.AddWithValue("$actor", auditEvent.Actor);
        p.AddWithValue("$action", SqliteCodes.ToCode(auditEvent.Action));
        p.AddWithValue("$recording_id", auditEvent.RecordingId is { } id ? SqliteCodes.ToCode(id) : DBNull.Value);
        p.AddWithValue("$purpose", auditEvent.Purpose);
        p.AddWithValue("$detail", (object?)auditEvent.Detail ?? DBNull.Value);
        long sequence = (long)command.ExecuteScalar()!;
        return new AuditEntry(sequence, auditEvent);
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

    private static List<AuditEntry> ReadAll(SqliteCommand command)
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
            entries.Add(new AuditEntry(reader.GetInt64(0), auditEvent));
        }

        return entries;
    }
}
