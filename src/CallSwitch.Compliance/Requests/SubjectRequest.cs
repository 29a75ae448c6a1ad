using System.Globalization;

namespace CallSwitch.Compliance.Requests;

/// <summary>A data-subject request as stored.</summary>
public sealed record SubjectRequest
{
    /// <summary>The prefix of a request's code: <c>DSR-17</c>.</summary>
    public const string CodePrefix = "DSR-";

    /// <summary>The store's number for it.</summary>
    public required long Id { get; init; }

    /// <summary>The right exercised.</summary>
    public required RequestKind Kind { get; init; }

    /// <summary>The number (E.164) while the request needs it: open, or a restriction in force; null afterwards.</summary>
    public string? Number { get; init; }

    /// <summary>The number's keyed hash (kept for ever: "whose request was it?").</summary>
    public required string NumberDigest { get; init; }

    /// <summary>The number masked, for listings.</summary>
    public required string NumberMasked { get; init; }

    /// <summary>An objection limited to one campaign; null for every campaign (and for the other kinds).</summary>
    public string? CampaignId { get; init; }

    /// <summary>The caller's reference (letter, ticket).</summary>
    public string? Reference { get; init; }

    /// <summary>When the request was received (the deadline counts from it).</summary>
    public required DateTimeOffset ReceivedAt { get; init; }

    /// <summary>The deadline: received + <see cref="SubjectRequestService.Deadline"/>.</summary>
    public required DateTimeOffset DueAt { get; init; }

    /// <summary>When it was entered.</summary>
    public required DateTimeOffset OpenedAt { get; init; }

    /// <summary>Who entered it.</summary>
    public required string OpenedBy { get; init; }

    /// <summary>Open, done or rejected.</summary>
    public required RequestStatus Status { get; init; }

    /// <summary>When it was answered or rejected.</summary>
    public DateTimeOffset? ClosedAt { get; init; }

    /// <summary>Who answered or rejected it.</summary>
    public string? ClosedBy { get; init; }

    /// <summary>What was done, or why it was rejected.</summary>
    public string? Outcome { get; init; }

    /// <summary>When a restriction was lifted.</summary>
    public DateTimeOffset? LiftedAt { get; init; }

    /// <summary>Who lifted it.</summary>
    public string? LiftedBy { get; init; }

    /// <summary>The code people use: <c>DSR-17</c>.</summary>
    public string Code => CodeOf(Id);

    /// <summary>Whether a restriction freezes the number's recordings now.</summary>
    public bool RestrictionInForce => Kind == RequestKind.Restriction && Status == RequestStatus.Done && LiftedAt is null;

    /// <summary>Whether it is still open after its deadline.</summary>
    public bool IsOverdue(DateTimeOffset now) => Status == RequestStatus.Open && now > DueAt;

    /// <summary>The code of request <paramref name="id"/>.</summary>
    public static string CodeOf(long id) => CodePrefix + id.ToString(CultureInfo.InvariantCulture);

    /// <summary>Reads <c>DSR-17</c> or <c>17</c>.</summary>
    public static bool TryParseCode(string? text, out long id)
    {
        id = 0;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        string digits = text.Trim();
        if (digits.StartsWith(CodePrefix, StringComparison.OrdinalIgnoreCase))
        {
            digits = digits[CodePrefix.Length..];
        }

        return long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out id) && id > 0;
    }
}
