using Microsoft.Data.Sqlite;

namespace CallSwitch.Compliance.Storage.Sqlite;

/// <summary>The SQL of recordings' annotations (schema step 8).</summary>
internal static class SqliteAnnotationSql
{
    public static RecordingAnnotation? Add(SqliteConnection connection, SqliteTransaction transaction, Guid recordingId, TimeSpan position, string author, string text, DateTimeOffset at)
    {
        using SqliteCommand exists = connection.CreateCommand();
        exists.Transaction = transaction;
        exists.CommandText = "SELECT COUNT(*) FROM recordings WHERE recording_id = $id";
        exists.Parameters.AddWithValue("$id", SqliteCodes.ToCode(recordingId));
        if (Convert.ToInt64(exists.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 0)
        {
            return null;
        }

        using SqliteCommand insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO recording_annotations (recording_id, position_us, author, text, created_at_us)
            VALUES ($id, $position, $author, $text, $at) RETURNING annotation_id
            """;
        insert.Parameters.AddWithValue("$id", SqliteCodes.ToCode(recordingId));
        insert.Parameters.AddWithValue("$position", SqliteCodes.ToMicros(position));
        insert.Parameters.AddWithValue("$author", author);
        insert.Parameters.AddWithValue("$text", text);
        insert.Parameters.AddWithValue("$at", SqliteCodes.ToMicros(at));
        long id = Convert.ToInt64(insert.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        return new RecordingAnnotation(id, recordingId, position, author, text, at);
    }

    public static IReadOnlyList<RecordingAnnotation> List(SqliteConnection connection, SqliteTransaction transaction, Guid recordingId)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            SELECT annotation_id, position_us, author, text, created_at_us FROM recording_annotations
            WHERE recording_id = $id ORDER BY position_us, annotation_id
            """;
        command.Parameters.AddWithValue("$id", SqliteCodes.ToCode(recordingId));
        var result = new List<RecordingAnnotation>();
        using SqliteDataReader reader = command.ExecuteReader();
        while (reader.Read())
        {
            result.Add(new RecordingAnnotation(
                reader.GetInt64(0),
                recordingId,
                SqliteCodes.SpanFromMicros(reader.GetInt64(1)),
                reader.GetString(2),
                reader.GetString(3),
                SqliteCodes.FromMicros(reader.GetInt64(4))));
        }

        return result;
    }
}
