using CallSwitch.Compliance.Kpi;
using Microsoft.Data.Sqlite;

namespace CallSwitch.Compliance.Storage.Sqlite;

/// <summary>The SQL of the indicators, in one read snapshot.</summary>
internal static class SqliteKpiSql
{
    public static KpiReport Compute(SqliteConnection connection, SqliteTransaction transaction, KpiQuery query)
    {
        // Private calls are the staff's, not the campaigns' business: not counted among the calls.
        long[] calls = Longs(connection, transaction, query, """
            SELECT COUNT(*), COALESCE(SUM(recorded), 0), COALESCE(SUM(announcement_played), 0) FROM calls
            WHERE started_at_us >= $from AND started_at_us < $before AND ($campaign IS NULL OR campaign_id = $campaign) AND private = 0
            """);
        long[] recordings = Longs(connection, transaction, query, """
            SELECT COALESCE(SUM(opposed_by = 'agent'), 0), COALESCE(SUM(opposed_by = 'prospect'), 0),
                   (SELECT COUNT(*) FROM recording_pauses p JOIN recordings r2 ON r2.recording_id = p.recording_id
                    WHERE r2.started_at_us >= $from AND r2.started_at_us < $before AND ($campaign IS NULL OR r2.campaign_id = $campaign))
            FROM recordings
            WHERE started_at_us >= $from AND started_at_us < $before AND ($campaign IS NULL OR campaign_id = $campaign)
            """);
        long[] purged = Longs(connection, transaction, query, """
            SELECT COUNT(*), COALESCE(SUM(file_size), 0) FROM recordings
            WHERE erased_at_us >= $from AND erased_at_us < $before AND ($campaign IS NULL OR campaign_id = $campaign)
            """);

        var listens = new Dictionary<string, long>(StringComparer.Ordinal);
        using (SqliteCommand command = Command(connection, transaction, query, """
            SELECT COALESCE(ur.role, '(no user)'), COUNT(*)
            FROM audit_log a
            JOIN recordings r ON r.recording_id = a.recording_id
            LEFT JOIN (SELECT DISTINCT user_name, role FROM user_roles) ur ON ur.user_name = a.actor
            WHERE a.action = 'play' AND a.at_us >= $from AND a.at_us < $before AND ($campaign IS NULL OR r.campaign_id = $campaign)
            GROUP BY 1 ORDER BY 1
            """))
        {
            using SqliteDataReader reader = command.ExecuteReader();
            while (reader.Read())
            {
                listens[reader.GetString(0)] = reader.GetInt64(1);
            }
        }

        return new KpiReport
        {
            Query = query,
            Calls = calls[0],
            CallsRecorded = calls[1],
            CallsInformed = calls[2],
            OppositionsAgent = recordings[0],
            OppositionsProspect = recordings[1],
            Pauses = recordings[2],
            RecordingsPurged = purged[0],
            BytesFreed = purged[1],
            ListensByRole = listens,
        };
    }

    private static long[] Longs(SqliteConnection connection, SqliteTransaction transaction, KpiQuery query, string sql)
    {
        using SqliteCommand command = Command(connection, transaction, query, sql);
        using SqliteDataReader reader = command.ExecuteReader();
        reader.Read();
        return Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? 0 : reader.GetInt64(i)).ToArray();
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction transaction, KpiQuery query, string sql)
    {
        SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.Parameters.AddWithValue("$from", SqliteCodes.ToMicros(query.From));
        command.Parameters.AddWithValue("$before", SqliteCodes.ToMicros(query.Before));
        command.Parameters.AddWithValue("$campaign", (object?)query.CampaignId ?? DBNull.Value);
        return command;
    }
}
