using Microsoft.Data.Sqlite;

namespace CallSwitch.Compliance.Storage.Sqlite;

/// <summary>The SQL of the calls table.</summary>
internal static class SqliteCallSql
{
    internal const string Columns =
        "call_id, direction, agent_id, campaign_id, prospect_number, started_at_us, answered_at_us, ended_at_us, " +
        "end_reason, announcement_played, announcement_at_us, announcement_sha256, recorded, private";

    public static void Upsert(SqliteConnection connection, SqliteTransaction transaction, CallRecord call)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"""
            INSERT INTO calls ({Columns})
            VALUES ($call_id, $direction, $agent_id, $campaign_id, $prospect_number, $started_at_us, $answered_at_us, $ended_at_us,
                    $end_reason, $announcement_played, $announcement_at_us, $announcement_sha256, $recorded, $private)
            ON CONFLICT (call_id) DO UPDATE SET
                direction = excluded.direction,
                agent_id = excluded.agent_id,
                campaign_id = excluded.campaign_id,
                prospect_number = excluded.prospect_number,
                started_at_us = excluded.started_at_us,
                answered_at_us = excluded.answered_at_us,
                ended_at_us = excluded.ended_at_us,
                end_reason = excluded.end_reason,
                announcement_played = excluded.announcement_played,
                announcement_at_us = excluded.announcement_at_us,
                announcement_sha256 = excluded.announcement_sha256,
                recorded = excluded.recorded,
                private = excluded.private
            """;
        SqliteParameterCollection p = command.Parameters;
        p.AddWithValue("$call_id", call.CallId);
        p.AddWithValue("$direction", SqliteCodes.ToCode(call.Direction));
        p.AddWithValue("$agent_id", (object?)call.AgentId ?? DBNull.Value);
        p.AddWithValue("$campaign_id", (object?)call.CampaignId ?? DBNull.Value);
        p.AddWithValue("$prospect_number", (object?)call.ProspectNumber ?? DBNull.Value);
        p.AddWithValue("$started_at_us", SqliteCodes.ToMicros(call.StartedAt));
        p.AddWithValue("$answered_at_us", Micros(call.AnsweredAt));
        p.AddWithValue("$ended_at_us", Micros(call.EndedAt));
        p.AddWithValue("$end_reason", (object?)call.EndReason ?? DBNull.Value);
        AddAnnouncement(p, call.Announcement);
        p.AddWithValue("$recorded", call.Recorded ? 1 : 0);
        p.AddWithValue("$private", call.Private ? 1 : 0);
        command.ExecuteNonQuery();
    }

    public static int EndOpen(SqliteConnection connection, SqliteTransaction transaction, string reason)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            UPDATE calls SET
                ended_at_us = MAX(
                    started_at_us,
                    COALESCE(answered_at_us, started_at_us),
                    COALESCE((SELECT MAX(r.ended_at_us) FROM recordings r WHERE r.call_id = calls.call_id), started_at_us)),
                end_reason = $reason
            WHERE ended_at_us IS NULL
            """;
        command.Parameters.AddWithValue("$reason", reason);
        return command.ExecuteNonQuery();
    }

    public static CallRecord? Get(SqliteConnection connection, SqliteTransaction transaction, string callId)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT {Columns} FROM calls WHERE call_id = $call_id";
        command.Parameters.AddWithValue("$call_id", callId);
        using SqliteDataReader reader = command.ExecuteReader();
        return reader.Read() ? ReadRow(reader) : null;
    }

    /// <summary>A call from a row of <see cref="Columns"/>.</summary>
    internal static CallRecord ReadRow(SqliteDataReader reader) =>
        new()
        {
            CallId = reader.GetString(0),
            Direction = SqliteCodes.ToDirection(reader.GetString(1)),
            AgentId = NullableString(reader, 2),
            CampaignId = NullableString(reader, 3),
            ProspectNumber = NullableString(reader, 4),
            StartedAt = SqliteCodes.FromMicros(reader.GetInt64(5)),
            AnsweredAt = NullableInstant(reader, 6),
            EndedAt = NullableInstant(reader, 7),
            EndReason = NullableString(reader, 8),
            Announcement = ReadAnnouncement(reader, 9),
            Recorded = reader.GetInt64(12) != 0,
            Private = reader.GetInt64(13) != 0,
        };

    /// <summary>Adds $announcement_played, $announcement_at_us and $announcement_sha256.</summary>
    internal static void AddAnnouncement(SqliteParameterCollection parameters, AnnouncementPlayback? announcement)
    {
        parameters.AddWithValue("$announcement_played", announcement is null ? 0 : 1);
        parameters.AddWithValue("$announcement_at_us", announcement is null ? DBNull.Value : SqliteCodes.ToMicros(announcement.At));
        parameters.AddWithValue("$announcement_sha256", (object?)announcement?.FileSha256.ToLowerInvariant() ?? DBNull.Value);
    }

    /// <summary>Reads the three announcement columns starting at <paramref name="ordinal"/>.</summary>
    internal static AnnouncementPlayback? ReadAnnouncement(SqliteDataReader reader, int ordinal) =>
        reader.GetInt64(ordinal) == 0
            ? null
            : new AnnouncementPlayback(SqliteCodes.FromMicros(reader.GetInt64(ordinal + 1)), reader.GetString(ordinal + 2));

    internal static object Micros(DateTimeOffset? instant) => instant is { } value ? SqliteCodes.ToMicros(value) : DBNull.Value;

    internal static string? NullableString(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    internal static DateTimeOffset? NullableInstant(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : SqliteCodes.FromMicros(reader.GetInt64(ordinal));
}
