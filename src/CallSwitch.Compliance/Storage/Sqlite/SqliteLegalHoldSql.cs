using System.Globalization;
using Microsoft.Data.Sqlite;

namespace CallSwitch.Compliance.Storage.Sqlite;

/// <summary>The SQL of legal holds, and the one expression that says whether a recording is held.</summary>
internal static class SqliteLegalHoldSql
{
    /// <summary>The SQL function the store registers on its connections: the keyed hash of a number (<see cref="SqliteMetadataStoreOptions.NumberDigest"/>).</summary>
    public const string DigestFunction = "number_digest";

    private const string Columns =
        "hold_id, scope, recording_id, call_id, number_hmac, campaign_id, from_us, until_us, reason, requested_by, placed_by, placed_at_us, " +
        "expires_at_us, released_at_us, released_by, release_reason";

    /// <summary>
    /// Whether the recording row aliased <paramref name="row"/> is held at <c>$now_us</c>: its own
    /// flag, or an active hold on it, its call, its number, its campaign or a range holding its start.
    /// </summary>
    public static string Held(string row) => $"""
        ({row}.legal_hold <> 0 OR EXISTS (
            SELECT 1 FROM legal_holds h
            WHERE h.released_at_us IS NULL AND (h.expires_at_us IS NULL OR h.expires_at_us > $now_us)
              AND ((h.scope = 'recording' AND h.recording_id = {row}.recording_id)
                OR (h.scope = 'call' AND h.call_id = {row}.call_id)
                OR (h.scope = 'campaign' AND h.campaign_id = {row}.campaign_id)
                OR (h.scope = 'period' AND {row}.started_at_us >= h.from_us AND {row}.started_at_us < h.until_us)
                OR (h.scope = 'number' AND h.number_hmac = {DigestFunction}({row}.prospect_number)))))
        """;

    public static LegalHold Place(SqliteConnection connection, SqliteTransaction transaction, Guid id, NewLegalHold hold, DateTimeOffset at, AuditEvent audit)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO legal_holds (hold_id, scope, recording_id, call_id, number_hmac, campaign_id, from_us, until_us,
                                     reason, requested_by, placed_by, placed_at_us, expires_at_us)
            VALUES ($hold_id, $scope, $recording_id, $call_id, $number_hmac, $campaign_id, $from_us, $until_us,
                    $reason, $requested_by, $placed_by, $placed_at_us, $expires_at_us)
            """;
        SqliteParameterCollection p = command.Parameters;
        p.AddWithValue("$hold_id", SqliteCodes.ToCode(id));
        p.AddWithValue("$scope", ScopeCode(hold.Scope));
        p.AddWithValue("$recording_id", hold.RecordingId is { } r ? SqliteCodes.ToCode(r) : DBNull.Value);
        p.AddWithValue("$call_id", (object?)hold.CallId ?? DBNull.Value);
        p.AddWithValue("$number_hmac", (object?)hold.NumberDigest ?? DBNull.Value);
        p.AddWithValue("$campaign_id", (object?)hold.CampaignId ?? DBNull.Value);
        p.AddWithValue("$from_us", SqliteCallSql.Micros(hold.From));
        p.AddWithValue("$until_us", SqliteCallSql.Micros(hold.Until));
        p.AddWithValue("$reason", hold.Reason);
        p.AddWithValue("$requested_by", hold.RequestedBy);
        p.AddWithValue("$placed_by", hold.PlacedBy);
        p.AddWithValue("$placed_at_us", SqliteCodes.ToMicros(at));
        p.AddWithValue("$expires_at_us", SqliteCallSql.Micros(hold.ExpiresAt));
        command.ExecuteNonQuery();
        SqliteAuditSql.Append(connection, transaction, audit);
        return new LegalHold(id, hold, at, null, null, null);
    }

    public static bool Release(SqliteConnection connection, SqliteTransaction transaction, Guid id, string by, string reason, AuditEvent audit)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            UPDATE legal_holds SET released_at_us = $at_us, released_by = $by, release_reason = $reason
            WHERE hold_id = $hold_id AND released_at_us IS NULL
            """;
        command.Parameters.AddWithValue("$at_us", SqliteCodes.ToMicros(audit.At));
        command.Parameters.AddWithValue("$by", by);
        command.Parameters.AddWithValue("$reason", reason);
        command.Parameters.AddWithValue("$hold_id", SqliteCodes.ToCode(id));
        if (command.ExecuteNonQuery() == 0)
        {
            return false;
        }

        SqliteAuditSql.Append(connection, transaction, audit);
        return true;
    }

    public static int Expire(SqliteConnection connection, SqliteTransaction transaction, DateTimeOffset now, string actor)
    {
        var expired = new List<LegalHold>();
        using (SqliteCommand select = connection.CreateCommand())
        {
            select.Transaction = transaction;
            select.CommandText = $"SELECT {Columns} FROM legal_holds WHERE released_at_us IS NULL AND expires_at_us IS NOT NULL AND expires_at_us <= $now_us";
            select.Parameters.AddWithValue("$now_us", SqliteCodes.ToMicros(now));
            expired.AddRange(ReadAll(select));
        }

        foreach (LegalHold hold in expired)
        {
            var audit = new AuditEvent(now, actor, AuditAction.LegalHoldExpired, hold.Hold.RecordingId, hold.Hold.Reason, Detail(hold.Id, hold.Hold));
            Release(connection, transaction, hold.Id, actor, "expired", audit);
        }

        return expired.Count;
    }

    public static IReadOnlyList<LegalHold> List(SqliteConnection connection, SqliteTransaction transaction, bool includeReleased)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT {Columns} FROM legal_holds {(includeReleased ? string.Empty : "WHERE released_at_us IS NULL")} ORDER BY placed_at_us DESC, hold_id";
        return ReadAll(command);
    }

    /// <summary>The audit entry's detail of a hold: its id, target, requester and expiry; never a number.</summary>
    public static string Detail(Guid id, NewLegalHold hold) =>
        $"hold {id:D} on {hold.DescribeTarget()}, requested by {hold.RequestedBy}" +
        (hold.ExpiresAt is { } e ? ", expires " + e.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) : string.Empty);

    private static string ScopeCode(LegalHoldScope scope) => scope.ToString().ToLowerInvariant();

    private static List<LegalHold> ReadAll(SqliteCommand command)
    {
        var holds = new List<LegalHold>();
        using SqliteDataReader reader = command.ExecuteReader();
        while (reader.Read())
        {
            var hold = new NewLegalHold
            {
                Scope = Enum.Parse<LegalHoldScope>(reader.GetString(1), ignoreCase: true),
                RecordingId = reader.IsDBNull(2) ? null : Guid.Parse(reader.GetString(2)),
                CallId = SqliteCallSql.NullableString(reader, 3),
                NumberDigest = SqliteCallSql.NullableString(reader, 4),
                CampaignId = SqliteCallSql.NullableString(reader, 5),
                From = SqliteCallSql.NullableInstant(reader, 6),
                Until = SqliteCallSql.NullableInstant(reader, 7),
                Reason = reader.GetString(8),
                RequestedBy = reader.GetString(9),
                PlacedBy = reader.GetString(10),
                ExpiresAt = SqliteCallSql.NullableInstant(reader, 12),
            };
            holds.Add(new LegalHold(
                Guid.Parse(reader.GetString(0)),
                hold,
                SqliteCodes.FromMicros(reader.GetInt64(11)),
                SqliteCallSql.NullableInstant(reader, 13),
                SqliteCallSql.NullableString(reader, 14),
                SqliteCallSql.NullableString(reader, 15)));
        }

        return holds;
    }
}
