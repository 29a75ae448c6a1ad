using CallSwitch.Compliance.Kpi;
using CallSwitch.Compliance.Requests;
using Microsoft.Data.Sqlite;

namespace CallSwitch.Compliance.Storage.Sqlite;

/// <summary>The SQL of data-subject requests and of the look-ups by number they need.</summary>
internal static class SqliteRequestSql
{
    private const string Columns =
        "request_id, kind, number, number_hmac, number_masked, campaign_id, reference, received_at_us, due_at_us, opened_at_us, opened_by, " +
        "status, closed_at_us, closed_by, outcome, lifted_at_us, lifted_by";

    public static SubjectRequest Open(SqliteConnection connection, SqliteTransaction transaction, NewSubjectRequest request, string masked, Func<long, AuditEvent> audit)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO subject_requests (kind, number, number_hmac, number_masked, campaign_id, reference, received_at_us, due_at_us,
                                          opened_at_us, opened_by, status)
            VALUES ($kind, $number, $number_hmac, $number_masked, $campaign_id, $reference, $received_at_us, $due_at_us,
                    $opened_at_us, $opened_by, 'open')
            RETURNING request_id
            """;
        SqliteParameterCollection p = command.Parameters;
        p.AddWithValue("$kind", KindCode(request.Kind));
        p.AddWithValue("$number", request.Number);
        p.AddWithValue("$number_hmac", request.NumberDigest);
        p.AddWithValue("$number_masked", masked);
        p.AddWithValue("$campaign_id", (object?)request.CampaignId ?? DBNull.Value);
        p.AddWithValue("$reference", (object?)request.Reference ?? DBNull.Value);
        p.AddWithValue("$received_at_us", SqliteCodes.ToMicros(request.ReceivedAt));
        p.AddWithValue("$due_at_us", SqliteCodes.ToMicros(request.DueAt));
        p.AddWithValue("$opened_at_us", SqliteCodes.ToMicros(request.OpenedAt));
        p.AddWithValue("$opened_by", request.OpenedBy);
        long id = (long)command.ExecuteScalar()!;
        SqliteAuditSql.Append(connection, transaction, audit(id));
        return Get(connection, transaction, id)!;
    }

    public static SubjectRequest? Get(SqliteConnection connection, SqliteTransaction transaction, long id)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT {Columns} FROM subject_requests WHERE request_id = $id";
        command.Parameters.AddWithValue("$id", id);
        List<SubjectRequest> found = ReadAll(command);
        return found.Count == 0 ? null : found[0];
    }

    public static IReadOnlyList<SubjectRequest> List(SqliteConnection connection, SqliteTransaction transaction, RequestStatus? status, DateTimeOffset? overdueAt)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"""
            SELECT {Columns} FROM subject_requests
            WHERE ($status IS NULL OR status = $status)
              AND ($overdue_us IS NULL OR (status = 'open' AND due_at_us < $overdue_us))
            ORDER BY due_at_us, request_id
            """;
        command.Parameters.AddWithValue("$status", status is { } s ? StatusCode(s) : DBNull.Value);
        command.Parameters.AddWithValue("$overdue_us", SqliteCallSql.Micros(overdueAt));
        return ReadAll(command);
    }

    public static bool Close(
        SqliteConnection connection, SqliteTransaction transaction, long id, RequestStatus status, string outcome, bool keepNumber, AuditEvent audit)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            UPDATE subject_requests SET
                status = $status, closed_at_us = $at_us, closed_by = $by, outcome = $outcome,
                number = CASE WHEN $keep = 1 THEN number ELSE NULL END
            WHERE request_id = $id AND status = 'open'
            """;
        command.Parameters.AddWithValue("$status", StatusCode(status));
        command.Parameters.AddWithValue("$at_us", SqliteCodes.ToMicros(audit.At));
        command.Parameters.AddWithValue("$by", audit.Actor);
        command.Parameters.AddWithValue("$outcome", outcome);
        command.Parameters.AddWithValue("$keep", keepNumber ? 1 : 0);
        command.Parameters.AddWithValue("$id", id);
        if (command.ExecuteNonQuery() == 0)
        {
            return false;
        }

        SqliteAuditSql.Append(connection, transaction, audit);
        return true;
    }

    public static bool Lift(SqliteConnection connection, SqliteTransaction transaction, long id, AuditEvent audit)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            UPDATE subject_requests SET lifted_at_us = $at_us, lifted_by = $by, number = NULL
            WHERE request_id = $id AND kind = 'restriction' AND status = 'done' AND lifted_at_us IS NULL
            """;
        command.Parameters.AddWithValue("$at_us", SqliteCodes.ToMicros(audit.At));
        command.Parameters.AddWithValue("$by", audit.Actor);
        command.Parameters.AddWithValue("$id", id);
        if (command.ExecuteNonQuery() == 0)
        {
            return false;
        }

        SqliteAuditSql.Append(connection, transaction, audit);
        return true;
    }

    public static bool IsRestricted(SqliteConnection connection, SqliteTransaction transaction, string number)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            SELECT EXISTS (SELECT 1 FROM subject_requests
                           WHERE number = $number AND kind = 'restriction' AND status = 'done' AND lifted_at_us IS NULL)
            """;
        command.Parameters.AddWithValue("$number", number);
        return (long)command.ExecuteScalar()! != 0;
    }

    public static NumberRecords Find(SqliteConnection connection, SqliteTransaction transaction, string number, string digest)
    {
        var calls = new List<CallRecord>();
        using (SqliteCommand command = connection.CreateCommand())
        {
            command.Transaction = transaction;

            // Two index look-ups (the number; the digest a redaction left), not an OR the planner would scan for.
            command.CommandText = $"""
                SELECT {SqliteCallSql.Columns} FROM calls WHERE prospect_number = $number
                UNION ALL
                SELECT {SqliteCallSql.Columns} FROM calls WHERE prospect_number_hmac = $digest
                ORDER BY started_at_us, call_id
                """;
            command.Parameters.AddWithValue("$number", number);
            command.Parameters.AddWithValue("$digest", digest);
            using SqliteDataReader reader = command.ExecuteReader();
            while (reader.Read())
            {
                calls.Add(SqliteCallSql.ReadRow(reader));
            }
        }

        using SqliteCommand recordings = connection.CreateCommand();
        recordings.Transaction = transaction;
        recordings.CommandText = $"""
            SELECT {SqliteRecordingSql.Columns} FROM recordings WHERE prospect_number = $number
            UNION ALL
            SELECT {SqliteRecordingSql.Columns} FROM recordings WHERE prospect_number_hmac = $digest AND prospect_number IS NULL
            ORDER BY started_at_us, recording_id
            """;
        recordings.Parameters.AddWithValue("$number", number);
        recordings.Parameters.AddWithValue("$digest", digest);
        return new NumberRecords(calls, SqliteRecordingSql.ReadAll(connection, transaction, recordings));
    }

    public static int RedactCalls(SqliteConnection connection, SqliteTransaction transaction, string number, string digest, AuditEvent audit)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "UPDATE calls SET prospect_number = NULL, prospect_number_hmac = $digest WHERE prospect_number = $number";
        command.Parameters.AddWithValue("$number", number);
        command.Parameters.AddWithValue("$digest", digest);
        int changed = command.ExecuteNonQuery();
        SqliteAuditSql.Append(connection, transaction, audit with { Detail = $"{audit.Detail} calls={changed}" });
        return changed;
    }

    public static IReadOnlyList<AuditEntry> Audit(SqliteConnection connection, SqliteTransaction transaction, string purpose)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;

        // The request is the purpose, alone or after a stated one: "quality (data-subject request DSR-3)".
        command.CommandText = $"""
            SELECT {SqliteAuditSql.Columns} FROM audit_log WHERE purpose = $purpose
            UNION
            SELECT {SqliteAuditSql.Columns} FROM audit_log WHERE purpose LIKE $suffix ESCAPE '\'
            ORDER BY 1
            """;
        command.Parameters.AddWithValue("$purpose", purpose);
        command.Parameters.AddWithValue("$suffix", "%(" + purpose.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + ")");
        return SqliteAuditSql.ReadAll(command);
    }

    /// <summary>The request indicators of the report's period, added to it.</summary>
    public static KpiReport AddKpi(KpiReport report, SqliteConnection connection, SqliteTransaction transaction)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            SELECT
                (SELECT COUNT(*) FROM subject_requests WHERE received_at_us >= $from AND received_at_us < $before),
                (SELECT COUNT(*) FROM subject_requests WHERE closed_at_us >= $from AND closed_at_us < $before),
                (SELECT COUNT(*) FROM subject_requests
                 WHERE due_at_us >= $from AND due_at_us < $before AND (closed_at_us IS NULL OR closed_at_us > due_at_us)),
                (SELECT AVG(closed_at_us - received_at_us) FROM subject_requests WHERE closed_at_us >= $from AND closed_at_us < $before)
            """;
        command.Parameters.AddWithValue("$from", SqliteCodes.ToMicros(report.Query.From));
        command.Parameters.AddWithValue("$before", SqliteCodes.ToMicros(report.Query.Before));
        using SqliteDataReader reader = command.ExecuteReader();
        reader.Read();
        return report with
        {
            RequestsReceived = reader.GetInt64(0),
            RequestsHandled = reader.GetInt64(1),
            RequestsOverdue = reader.GetInt64(2),
            MeanRequestHandlingTime = reader.IsDBNull(3) ? null : SqliteCodes.SpanFromMicros((long)Math.Round(reader.GetDouble(3))),
        };
    }

    public static string KindCode(RequestKind kind) => kind switch
    {
        RequestKind.Access => "access",
        RequestKind.Erasure => "erasure",
        RequestKind.Restriction => "restriction",
        RequestKind.Objection => "objection",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static string StatusCode(RequestStatus status) => status switch
    {
        RequestStatus.Open => "open",
        RequestStatus.Done => "done",
        RequestStatus.Rejected => "rejected",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    private static RequestKind Kind(string code) => code switch
    {
        "access" => RequestKind.Access,
        "erasure" => RequestKind.Erasure,
        "restriction" => RequestKind.Restriction,
        "objection" => RequestKind.Objection,
        _ => throw new InvalidDataException($"The metadata database holds an unknown request kind '{code}'."),
    };

    private static RequestStatus Status(string code) => code switch
    {
        "open" => RequestStatus.Open,
        "done" => RequestStatus.Done,
        "rejected" => RequestStatus.Rejected,
        _ => throw new InvalidDataException($"The metadata database holds an unknown request status '{code}'."),
    };

    private static List<SubjectRequest> ReadAll(SqliteCommand command)
    {
        var requests = new List<SubjectRequest>();
        using SqliteDataReader reader = command.ExecuteReader();
        while (reader.Read())
        {
            requests.Add(new SubjectRequest
            {
                Id = reader.GetInt64(0),
                Kind = Kind(reader.GetString(1)),
                Number = SqliteCallSql.NullableString(reader, 2),
                NumberDigest = reader.GetString(3),
                NumberMasked = reader.GetString(4),
                CampaignId = SqliteCallSql.NullableString(reader, 5),
                Reference = SqliteCallSql.NullableString(reader, 6),
                ReceivedAt = SqliteCodes.FromMicros(reader.GetInt64(7)),
                DueAt = SqliteCodes.FromMicros(reader.GetInt64(8)),
                OpenedAt = SqliteCodes.FromMicros(reader.GetInt64(9)),
                OpenedBy = reader.GetString(10),
                Status = Status(reader.GetString(11)),
                ClosedAt = SqliteCallSql.NullableInstant(reader, 12),
                ClosedBy = SqliteCallSql.NullableString(reader, 13),
                Outcome = SqliteCallSql.NullableString(reader, 14),
                LiftedAt = SqliteCallSql.NullableInstant(reader, 15),
                LiftedBy = SqliteCallSql.NullableString(reader, 16),
            });
        }

        return requests;
    }
}
