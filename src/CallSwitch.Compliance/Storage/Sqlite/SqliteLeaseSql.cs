using Microsoft.Data.Sqlite;

namespace CallSwitch.Compliance.Storage.Sqlite;

/// <summary>The SQL of named leases.</summary>
internal static class SqliteLeaseSql
{
    public static RetentionLease? TryAcquire(SqliteConnection connection, SqliteTransaction transaction, string name, string holder, DateTimeOffset now, TimeSpan duration)
    {
        using (SqliteCommand upsert = connection.CreateCommand())
        {
            upsert.Transaction = transaction;

            // Taken when free, expired, or already ours (a renewal); another's live lease is left alone.
            upsert.CommandText = """
                INSERT INTO retention_lease (name, holder, acquired_at_us, expires_at_us) VALUES ($name, $holder, $now_us, $expires_us)
                ON CONFLICT (name) DO UPDATE SET
                    holder = excluded.holder,
                    acquired_at_us = CASE WHEN retention_lease.holder = excluded.holder THEN retention_lease.acquired_at_us ELSE excluded.acquired_at_us END,
                    expires_at_us = excluded.expires_at_us
                WHERE retention_lease.holder = excluded.holder OR retention_lease.expires_at_us <= $now_us
                """;
            upsert.Parameters.AddWithValue("$name", name);
            upsert.Parameters.AddWithValue("$holder", holder);
            upsert.Parameters.AddWithValue("$now_us", SqliteCodes.ToMicros(now));
            upsert.Parameters.AddWithValue("$expires_us", SqliteCodes.ToMicros(now + duration));
            upsert.ExecuteNonQuery();
        }

        using SqliteCommand read = connection.CreateCommand();
        read.Transaction = transaction;
        read.CommandText = "SELECT holder, expires_at_us FROM retention_lease WHERE name = $name";
        read.Parameters.AddWithValue("$name", name);
        using SqliteDataReader reader = read.ExecuteReader();
        reader.Read();
        string current = reader.GetString(0);
        return current == holder ? null : new RetentionLease(current, SqliteCodes.FromMicros(reader.GetInt64(1)));
    }

    public static bool Release(SqliteConnection connection, SqliteTransaction transaction, string name, string holder)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "DELETE FROM retention_lease WHERE name = $name AND holder = $holder";
        command.Parameters.AddWithValue("$name", name);
        command.Parameters.AddWithValue("$holder", holder);
        return command.ExecuteNonQuery() > 0;
    }
}
