using CallSwitch.Compliance.Access;
using Microsoft.Data.Sqlite;

namespace CallSwitch.Compliance.Storage.Sqlite;

/// <summary>The SQL of failed sign-ins per name (schema step 9).</summary>
internal static class SqliteSignInSql
{
    public static SignInFailures? Get(SqliteConnection connection, SqliteTransaction transaction, string name)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT failures, last_failure_at_us, locked_until_us FROM sign_in_failures WHERE name = $name";
        command.Parameters.AddWithValue("$name", name);
        using SqliteDataReader reader = command.ExecuteReader();
        return reader.Read()
            ? new SignInFailures(
                name,
                reader.GetInt32(0),
                SqliteCodes.FromMicros(reader.GetInt64(1)),
                reader.IsDBNull(2) ? null : SqliteCodes.FromMicros(reader.GetInt64(2)))
            : null;
    }

    public static SignInFailures? Change(
        SqliteConnection connection, SqliteTransaction transaction, string name, DateTimeOffset forgetBefore, Func<SignInFailures?, SignInFailures?> change)
    {
        using (SqliteCommand forget = connection.CreateCommand())
        {
            forget.Transaction = transaction;
            forget.CommandText = """
                DELETE FROM sign_in_failures
                WHERE last_failure_at_us < $before AND (locked_until_us IS NULL OR locked_until_us < $before) AND name <> $name
                """;
            forget.Parameters.AddWithValue("$before", SqliteCodes.ToMicros(forgetBefore));
            forget.Parameters.AddWithValue("$name", name);
            forget.ExecuteNonQuery();
        }

        SignInFailures? changed = change(Get(connection, transaction, name));
        using SqliteCommand write = connection.CreateCommand();
        write.Transaction = transaction;
        write.Parameters.AddWithValue("$name", name);
        if (changed is null)
        {
            write.CommandText = "DELETE FROM sign_in_failures WHERE name = $name";
        }
        else
        {
            if (changed.Name != name || changed.Failures < 0)
            {
                throw new ArgumentException($"A change of {name}'s failed sign-ins keeps the name and counts from zero.", nameof(change));
            }

            write.CommandText = """
                INSERT INTO sign_in_failures (name, failures, last_failure_at_us, locked_until_us) VALUES ($name, $failures, $last, $until)
                ON CONFLICT (name) DO UPDATE SET failures = excluded.failures, last_failure_at_us = excluded.last_failure_at_us, locked_until_us = excluded.locked_until_us
                """;
            write.Parameters.AddWithValue("$failures", changed.Failures);
            write.Parameters.AddWithValue("$last", SqliteCodes.ToMicros(changed.LastFailureAt));
            write.Parameters.AddWithValue("$until", changed.LockedUntil is { } until ? SqliteCodes.ToMicros(until) : DBNull.Value);
        }

        write.ExecuteNonQuery();
        return changed;
    }
}
