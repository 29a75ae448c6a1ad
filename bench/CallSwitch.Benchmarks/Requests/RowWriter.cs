using Microsoft.Data.Sqlite;

namespace CallSwitch.Benchmarks.Requests;

/// <summary>Bulk rows for <see cref="RequestStore"/>: prepared inserts in large transactions (generation only; the switch writes through the store).</summary>
internal sealed class RowWriter
{
    private readonly SqliteConnection _connection;
    private SqliteTransaction _transaction;
    private SqliteCommand _call = null!;
    private SqliteCommand _recording = null!;
    private SqliteCommand _purpose = null!;
    private SqliteCommand _pause = null!;
    private int _pending;

    public RowWriter(SqliteConnection connection)
    {
        _connection = connection;
        _transaction = connection.BeginTransaction();
        Prepare();
    }

    public void Call(string callId, string number, DateTimeOffset at, bool recorded)
    {
        long us = Micros(at);
        Set(_call, callId, number, us, us + 1_000_000, us + 60_000_000, recorded ? 1 : 0);
        _call.ExecuteNonQuery();
        _pending++;
    }

    public void Recording(Guid id, string callId, string number, DateTimeOffset at, Guid? keyId, string? file, bool pause)
    {
        long us = Micros(at) + 1_000_000;
        Set(_recording, id.ToString("D"), callId, number, us, us + 59_000_000, Micros(at.AddDays(180)), (object?)keyId?.ToString("D") ?? DBNull.Value, (object?)file ?? DBNull.Value);
        _recording.ExecuteNonQuery();
        Set(_purpose, id.ToString("D"));
        _purpose.ExecuteNonQuery();
        if (pause)
        {
            Set(_pause, id.ToString("D"));
            _pause.ExecuteNonQuery();
        }
    }

    public void CommitEvery(int rows)
    {
        if (_pending >= rows)
        {
            Commit();
            _transaction = _connection.BeginTransaction();
            Prepare();
        }
    }

    public void Commit()
    {
        foreach (SqliteCommand command in new[] { _call, _recording, _purpose, _pause })
        {
            command.Dispose();
        }

        _transaction.Commit();
        _transaction.Dispose();
        _pending = 0;
    }

    private void Prepare()
    {
        _call = Command("""
            INSERT INTO calls (call_id, direction, agent_id, campaign_id, prospect_number, started_at_us, answered_at_us, ended_at_us,
                               end_reason, announcement_played, recorded)
            VALUES ($1, 'outbound', '1001', 'spring', $2, $3, $4, $5, 'AgentHungUp', 0, $6)
            """);
        _recording = Command("""
            INSERT INTO recordings (recording_id, call_id, campaign_id, agent_id, prospect_number, started_at_us, ended_at_us, duration_us,
                                    rule_id, announcement_played, legal_basis, retention_until_us, legal_hold, key_id, file_path, file_size,
                                    ciphertext_sha256, status)
            VALUES ($1, $2, 'spring', '1001', $3, $4, $5, $5 - $4, 'spring', 0, 'legitimate-interest', $6, 0, $7, $8, 4096,
                    '0000000000000000000000000000000000000000000000000000000000000000', 'complete')
            """);
        _purpose = Command("INSERT INTO recording_purposes (recording_id, ordinal, purpose) VALUES ($1, 0, 'quality')");
        _pause = Command("INSERT INTO recording_pauses (recording_id, ordinal, start_us, end_us) VALUES ($1, 0, 5000000, 9000000)");
    }

    private SqliteCommand Command(string sql)
    {
        SqliteCommand command = _connection.CreateCommand();
        command.Transaction = _transaction;
        command.CommandText = sql;
        return command;
    }

    private static void Set(SqliteCommand command, params object[] values)
    {
        if (command.Parameters.Count == 0)
        {
            for (int i = 0; i < values.Length; i++)
            {
                command.Parameters.AddWithValue("$" + (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), values[i]);
            }

            return;
        }

        for (int i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i];
        }
    }

    private static long Micros(DateTimeOffset at) => (at.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMicrosecond;
}
