using Microsoft.Data.Sqlite;

namespace CallSwitch.Compliance.Tests.Requests;

/// <summary>Where a text (a phone number) is left in a metadata database: every table and column, read raw (shared with the interop tests).</summary>
internal static class StoreText
{
    /// <summary>Every (table, column, rows) of the database whose text holds <paramref name="text"/>.</summary>
    public static List<(string Table, string Column, long Rows)> Occurrences(string database, string text)
    {
        var found = new List<(string, string, long)>();
        using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
        connection.Open();
        var columns = new List<(string Table, string Column)>();
        using (SqliteCommand tables = connection.CreateCommand())
        {
            tables.CommandText = "SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table'";
            using SqliteDataReader reader = tables.ExecuteReader();
            while (reader.Read())
            {
                columns.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        foreach (var (table, column) in columns)
        {
            using SqliteCommand count = connection.CreateCommand();
            count.CommandText = $"SELECT COUNT(*) FROM \"{table}\" WHERE CAST(\"{column}\" AS TEXT) LIKE '%' || $text || '%'";
            count.Parameters.AddWithValue("$text", text);
            if ((long)count.ExecuteScalar()! is > 0 and long rows)
            {
                found.Add((table, column, rows));
            }
        }

        return found;
    }
}
