using CallSwitch.Compliance.Requests;
using Microsoft.Data.Sqlite;

namespace CallSwitch.Compliance.Storage.Sqlite;

/// <summary>The SQL of the do-not-call list. The every-campaign entry is stored with campaign '' (a key column cannot be null).</summary>
internal static class SqliteDoNotCallSql
{
    private const string EveryCampaign = "";

    public static int Add(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<DoNotCallEntry> entries, AuditEvent audit)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO do_not_call (number, campaign_id, added_at_us, added_by, source)
            VALUES ($number, $campaign_id, $added_at_us, $added_by, $source)
            ON CONFLICT (number, campaign_id) DO NOTHING
            """;
        SqliteParameter number = command.Parameters.Add("$number", SqliteType.Text);
        SqliteParameter campaign = command.Parameters.Add("$campaign_id", SqliteType.Text);
        SqliteParameter at = command.Parameters.Add("$added_at_us", SqliteType.Integer);
        SqliteParameter by = command.Parameters.Add("$added_by", SqliteType.Text);
        SqliteParameter source = command.Parameters.Add("$source", SqliteType.Text);
        int added = 0;
        foreach (DoNotCallEntry entry in entries)
        {
            number.Value = entry.Number;
            campaign.Value = entry.CampaignId ?? EveryCampaign;
            at.Value = SqliteCodes.ToMicros(entry.AddedAt);
            by.Value = entry.AddedBy;
            source.Value = entry.Source;
            added += command.ExecuteNonQuery();
        }

        SqliteAuditSql.Append(connection, transaction, audit with { Detail = $"{audit.Detail} added={added} of={entries.Count}" });
        return added;
    }

    public static bool Remove(SqliteConnection connection, SqliteTransaction transaction, string number, string? campaignId, AuditEvent audit)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "DELETE FROM do_not_call WHERE number = $number AND campaign_id = $campaign_id";
        command.Parameters.AddWithValue("$number", number);
        command.Parameters.AddWithValue("$campaign_id", campaignId ?? EveryCampaign);
        if (command.ExecuteNonQuery() == 0)
        {
            return false;
        }

        SqliteAuditSql.Append(connection, transaction, audit);
        return true;
    }

    public static long Version(SqliteConnection connection, SqliteTransaction transaction)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT version FROM do_not_call_version";
        return (long)command.ExecuteScalar()!;
    }

    public static IReadOnlyList<DoNotCallEntry> List(SqliteConnection connection, SqliteTransaction transaction)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT number, campaign_id, added_at_us, added_by, source FROM do_not_call ORDER BY number, campaign_id";
        var entries = new List<DoNotCallEntry>();
        using SqliteDataReader reader = command.ExecuteReader();
        while (reader.Read())
        {
            string campaign = reader.GetString(1);
            entries.Add(new DoNotCallEntry(
                reader.GetString(0),
                campaign.Length == 0 ? null : campaign,
                SqliteCodes.FromMicros(reader.GetInt64(2)),
                reader.GetString(3),
                reader.GetString(4)));
        }

        return entries;
    }
}
