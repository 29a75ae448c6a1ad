using System.Globalization;
using Microsoft.Data.Sqlite;

namespace CallSwitch.Compliance.Storage.Sqlite;

/// <summary>The SQL of the training_extracts table.</summary>
internal static class SqliteExtractSql
{
    private const string Columns = "extract_id, campaign_id, agent_id, created_at_us, created_by, retention_until_us, key_id, file_path, duration_ms";

    public static void Insert(SqliteConnection connection, SqliteTransaction transaction, TrainingExtract extract)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"""
            INSERT INTO training_extracts ({Columns})
            VALUES ($extract_id, $campaign_id, $agent_id, $created_at_us, $created_by, $retention_until_us, $key_id, $file_path, $duration_ms)
            """;
        SqliteParameterCollection p = command.Parameters;
        p.AddWithValue("$extract_id", extract.Id.ToString("D", CultureInfo.InvariantCulture));
        p.AddWithValue("$campaign_id", extract.CampaignId);
        p.AddWithValue("$agent_id", extract.AgentId);
        p.AddWithValue("$created_at_us", SqliteCodes.ToMicros(extract.CreatedAt));
        p.AddWithValue("$created_by", extract.CreatedBy);
        p.AddWithValue("$retention_until_us", SqliteCodes.ToMicros(extract.RetentionUntil));
        p.AddWithValue("$key_id", extract.KeyId.ToString("D", CultureInfo.InvariantCulture));
        p.AddWithValue("$file_path", extract.FilePath);
        p.AddWithValue("$duration_ms", (long)extract.Duration.TotalMilliseconds);
        command.ExecuteNonQuery();
    }

    public static IReadOnlyList<TrainingExtract> List(SqliteConnection connection, SqliteTransaction transaction, string? agentId)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT {Columns} FROM training_extracts WHERE $agent_id IS NULL OR agent_id = $agent_id ORDER BY created_at_us, extract_id";
        command.Parameters.AddWithValue("$agent_id", (object?)agentId ?? DBNull.Value);
        return Read(command);
    }

    public static IReadOnlyList<TrainingExtract> Expired(SqliteConnection connection, SqliteTransaction transaction, DateTimeOffset asOf, int limit)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT {Columns} FROM training_extracts WHERE retention_until_us <= $as_of_us ORDER BY retention_until_us, extract_id LIMIT $limit";
        command.Parameters.AddWithValue("$as_of_us", SqliteCodes.ToMicros(asOf));
        command.Parameters.AddWithValue("$limit", limit);
        return Read(command);
    }

    public static bool Delete(SqliteConnection connection, SqliteTransaction transaction, Guid extractId)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "DELETE FROM training_extracts WHERE extract_id = $extract_id";
        command.Parameters.AddWithValue("$extract_id", extractId.ToString("D", CultureInfo.InvariantCulture));
        return command.ExecuteNonQuery() > 0;
    }

    private static List<TrainingExtract> Read(SqliteCommand command)
    {
        using SqliteDataReader reader = command.ExecuteReader();
        var extracts = new List<TrainingExtract>();
        while (reader.Read())
        {
            extracts.Add(new TrainingExtract
            {
                Id = Guid.Parse(reader.GetString(0)),
                CampaignId = reader.GetString(1),
                AgentId = reader.GetString(2),
                CreatedAt = SqliteCodes.FromMicros(reader.GetInt64(3)),
                CreatedBy = reader.GetString(4),
                RetentionUntil = SqliteCodes.FromMicros(reader.GetInt64(5)),
                KeyId = Guid.Parse(reader.GetString(6)),
                FilePath = reader.GetString(7),
                Duration = TimeSpan.FromMilliseconds(reader.GetInt64(8)),
            });
        }

        return extracts;
    }
}
