using CallSwitch.Compliance.Rules;
namespace CallSwitch.Compliance.Storage;

/// <summary>
/// Checks shared by every store implementation, run before a write is queued so that a bad record
/// fails in the caller's hands rather than later in the writer.
/// </summary>
internal static class StoreValidation
{
    public static void Call(CallRecord call)
    {
        ArgumentNullException.ThrowIfNull(call);
        Required(call.CallId, "call id");
        Defined(call.Direction);
        OptionalNumber(call.ProspectNumber);
        Announcement(call.Announcement);
        if (call.EndedAt < call.StartedAt || call.AnsweredAt < call.StartedAt)
        {
            throw new ArgumentException($"Call {call.CallId} is answered or ended before it started.", nameof(call));
        }
    }

    public static void Recording(NewRecording recording)
    {
        ArgumentNullException.ThrowIfNull(recording);
        Required(recording.CallId, "call id");
        Required(recording.CampaignId, "campaign id");
        Required(recording.AgentId, "agent id");
        Required(recording.RuleId, "rule id");
        if (recording.FilePath is not null || recording.KeyId is not null)
        {
            Required(recording.FilePath, "file path");
            if (recording.KeyId is null)
            {
                throw new ArgumentException($"Recording {recording.Id} has a file but no key id; both or neither (a recording refused before any audio).", nameof(recording));
            }
        }

        Number(recording.ProspectNumber);
        Announcement(recording.Announcement);
        Defined(recording.LegalBasis);
        ArgumentNullException.ThrowIfNull(recording.Purposes);
        foreach (string purpose in recording.Purposes)
        {
            Required(purpose, "purpose");
        }
    }

    public static void Completion(RecordingCompletion completion)
    {
        ArgumentNullException.ThrowIfNull(completion);
        Defined(completion.Status);
        if (completion.Status == RecordingStatus.InProgress)
        {
            throw new ArgumentException("A completed recording is complete or incomplete, not in progress.", nameof(completion));
        }

        if (completion.Duration < TimeSpan.Zero || completion.DroppedPackets < 0 || completion.FileSize < 0)
        {
            throw new ArgumentException("Duration, dropped packets and file size cannot be negative.", nameof(completion));
        }

        if (completion.CiphertextSha256 is not null)
        {
            Sha256(completion.CiphertextSha256);
        }

        Announcement(completion.Announcement);

        ArgumentNullException.ThrowIfNull(completion.Pauses);
        ArgumentNullException.ThrowIfNull(completion.Barges);
        Spans(completion.Pauses.Select(p => (p.Start, p.End, (object)p)), "Pause", nameof(completion));
        Spans(completion.Barges.Select(b => (b.Start, b.End, (object)b)), "Barge", nameof(completion));

        if (completion.Opposition is { } opposition)
        {
            Defined(opposition.By);
        }
    }

    public static void Query(RecordingQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.PageSize is < 1 or > RecordingQuery.MaxPageSize)
        {
            throw new ArgumentException($"A page holds 1 to {RecordingQuery.MaxPageSize} recordings, not {query.PageSize}.", nameof(query));
        }

        OptionalNumber(query.ProspectNumber);
        if (query.Status is { } status)
        {
            Defined(status);
        }
    }

    public static void Audit(AuditEvent auditEvent)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        Required(auditEvent.Actor, "actor");
        Required(auditEvent.Purpose, "purpose");
        Defined(auditEvent.Action);
    }

    public static void Hold(NewLegalHold hold)
    {
        ArgumentNullException.ThrowIfNull(hold);
        Defined(hold.Scope);
        Required(hold.Reason, "reason");
        Required(hold.RequestedBy, "requester");
        Required(hold.PlacedBy, "placer");
        bool targetGiven = hold.Scope switch
        {
            LegalHoldScope.Recording => hold.RecordingId is not null,
            LegalHoldScope.Call => !string.IsNullOrWhiteSpace(hold.CallId),
            LegalHoldScope.Number => !string.IsNullOrWhiteSpace(hold.NumberDigest),
            LegalHoldScope.Campaign => !string.IsNullOrWhiteSpace(hold.CampaignId),
            _ => hold.From is { } from && hold.Until is { } until && from < until,
        };
        int targets = (hold.RecordingId is null ? 0 : 1) + (hold.CallId is null ? 0 : 1) + (hold.NumberDigest is null ? 0 : 1)
            + (hold.CampaignId is null ? 0 : 1) + (hold.From is null && hold.Until is null ? 0 : 1);
        if (!targetGiven || targets != 1)
        {
            throw new ArgumentException($"A hold on a {hold.Scope.ToString().ToLowerInvariant()} needs exactly that target (a range: from before until).", nameof(hold));
        }
    }

    public static void Required(string? value, string what)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ArgumentException($"The {what} is required.", what);
        }
    }

    /// <summary>
    /// Numbers are normalised once, at the edge (<see cref="Numbers.PhoneNumberNormalizer"/>); the
    /// store only checks the form, so a raw "06 12…" can never be stored and then missed by a search.
    /// </summary>
    public static void Number(string? number)
    {
        if (!IsE164(number))
        {
            throw new ArgumentException($"'{number}' is not a number in E.164 form (+ and up to 15 digits); normalise it first.", nameof(number));
        }
    }

    private static void OptionalNumber(string? number)
    {
        if (number is not null)
        {
            Number(number);
        }
    }

    private static bool IsE164(string? number) =>
        number is { Length: >= 3 and <= 16 } && number[0] == '+' && number[1] is >= '1' and <= '9' && !number.AsSpan(2).ContainsAnyExceptInRange('0', '9');

    private static void Announcement(AnnouncementPlayback? announcement)
    {
        if (announcement is not null)
        {
            Sha256(announcement.FileSha256);
        }
    }

    private static void Sha256(string? hash)
    {
        if (hash is not { Length: 64 } || hash.AsSpan().ContainsAnyExcept("0123456789abcdefABCDEF"))
        {
            throw new ArgumentException($"'{hash}' is not a SHA-256 in hex (64 digits).", nameof(hash));
        }
    }

    private static void Defined<T>(T value)
        where T : struct, Enum
    {
        if (!Enum.IsDefined(value))
        {
            throw new ArgumentException($"{value} is not a {typeof(T).Name}.", typeof(T).Name);
        }
    }

    private static void Spans(IEnumerable<(TimeSpan Start, TimeSpan? End, object Span)> spans, string what, string parameter)
    {
        foreach ((TimeSpan start, TimeSpan? end, object span) in spans)
        {
            if (start < TimeSpan.Zero || end < start)
            {
                throw new ArgumentException($"{what} {span} ends before it starts.", parameter);
            }
        }
    }
}
