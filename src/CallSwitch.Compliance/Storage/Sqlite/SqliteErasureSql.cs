using CallSwitch.Compliance.Erasure;
using Microsoft.Data.Sqlite;

namespace CallSwitch.Compliance.Storage.Sqlite;

/// <summary>The SQL of erasure in steps and of deletion receipts.</summary>
internal static class SqliteErasureSql
{
    public static ErasureOutcome? MarkErasing(SqliteConnection connection, SqliteTransaction transaction, Guid recordingId, DateTimeOffset at)
    {
        string id = SqliteCodes.ToCode(recordingId);
        using (SqliteCommand state = connection.CreateCommand())
        {
            state.Transaction = transaction;
            state.CommandText = $"SELECT {SqliteLegalHoldSql.Held("r")}, r.erased_at_us, r.erasing_at_us FROM recordings r WHERE r.recording_id = $recording_id";
            state.Parameters.AddWithValue("$recording_id", id);
            state.Parameters.AddWithValue("$now_us", SqliteCodes.ToMicros(at));
            using SqliteDataReader reader = state.ExecuteReader();
            if (!reader.Read())
            {
                return ErasureOutcome.NotFound;
            }

            if (!reader.IsDBNull(1))
            {
                return ErasureOutcome.AlreadyErased;
            }

            if (!reader.IsDBNull(2))
            {
                // Begun before (its key may be gone): finish it, whatever was placed since.
                return null;
            }

            if (reader.GetInt64(0) != 0)
            {
                return ErasureOutcome.OnLegalHold;
            }
        }

        using SqliteCommand mark = connection.CreateCommand();
        mark.Transaction = transaction;
        mark.CommandText = "UPDATE recordings SET erasing_at_us = $at_us WHERE recording_id = $recording_id";
        mark.Parameters.AddWithValue("$at_us", SqliteCodes.ToMicros(at));
        mark.Parameters.AddWithValue("$recording_id", id);
        mark.ExecuteNonQuery();
        return null;
    }

    public static ErasureOutcome Tombstone(SqliteConnection connection, SqliteTransaction transaction, ErasureTombstone tombstone)
    {
        string id = SqliteCodes.ToCode(tombstone.RecordingId);
        using (SqliteCommand erase = connection.CreateCommand())
        {
            erase.Transaction = transaction;
            erase.CommandText = """
                UPDATE recordings SET
                    erased_at_us = $at_us, erased_reason = $reason, erased_by = $by,
                    key_id = NULL, file_path = NULL, prospect_number = NULL, prospect_number_hmac = $digest
                WHERE recording_id = $recording_id AND erased_at_us IS NULL AND erasing_at_us IS NOT NULL
                """;
            erase.Parameters.AddWithValue("$at_us", SqliteCodes.ToMicros(tombstone.Audit.At));
            erase.Parameters.AddWithValue("$reason", tombstone.Audit.Purpose);
            erase.Parameters.AddWithValue("$by", tombstone.Audit.Actor);
            erase.Parameters.AddWithValue("$digest", (object?)tombstone.NumberDigest ?? DBNull.Value);
            erase.Parameters.AddWithValue("$recording_id", id);
            if (erase.ExecuteNonQuery() == 0)
            {
                using SqliteCommand state = connection.CreateCommand();
                state.Transaction = transaction;
                state.CommandText = "SELECT erased_at_us IS NOT NULL FROM recordings WHERE recording_id = $recording_id";
                state.Parameters.AddWithValue("$recording_id", id);
                return state.ExecuteScalar() is long erased && erased != 0 ? ErasureOutcome.AlreadyErased : ErasureOutcome.NotFound;
            }
        }

        SqliteAuditSql.Append(connection, transaction, tombstone.Audit);
        using (SqliteCommand receipt = connection.CreateCommand())
        {
            receipt.Transaction = transaction;
            receipt.CommandText = """
                INSERT INTO deletion_receipts (recording_id, issued_at_us, signing_key_id, document, signature)
                VALUES ($recording_id, $issued_at_us, $signing_key_id, $document, $signature)
                """;
            SignedErasureReceipt signed = tombstone.Receipt;
            receipt.Parameters.AddWithValue("$recording_id", id);
            receipt.Parameters.AddWithValue("$issued_at_us", SqliteCodes.ToMicros(signed.IssuedAt));
            receipt.Parameters.AddWithValue("$signing_key_id", signed.SigningKeyId);
            receipt.Parameters.AddWithValue("$document", signed.Document);
            receipt.Parameters.AddWithValue("$signature", signed.Signature);
            receipt.ExecuteNonQuery();
        }

        return ErasureOutcome.Erased;
    }

    public static SignedErasureReceipt? GetReceipt(SqliteConnection connection, SqliteTransaction transaction, Guid recordingId)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT issued_at_us, signing_key_id, document, signature FROM deletion_receipts WHERE recording_id = $recording_id";
        command.Parameters.AddWithValue("$recording_id", SqliteCodes.ToCode(recordingId));
        using SqliteDataReader reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }

        return new SignedErasureReceipt(
            recordingId,
            reader.GetString(1),
            SqliteCodes.FromMicros(reader.GetInt64(0)),
            (byte[])reader.GetValue(2),
            (byte[])reader.GetValue(3));
    }
}
