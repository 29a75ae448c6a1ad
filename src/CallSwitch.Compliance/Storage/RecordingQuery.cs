using System.Globalization;
using System.Text;

namespace CallSwitch.Compliance.Storage;

/// <summary>
/// Criteria for listing recordings, all optional and combined with AND; results come newest
/// first, a page at a time. The empty query lists everything.
/// </summary>
public sealed record RecordingQuery
{
    /// <summary>The largest page a store returns.</summary>
    public const int MaxPageSize = 500;

    /// <summary>The prospect's number, in E.164 form (normalise it first).</summary>
    public string? ProspectNumber { get; init; }

    /// <summary>The campaign id.</summary>
    public string? CampaignId { get; init; }

    /// <summary>The agent id.</summary>
    public string? AgentId { get; init; }

    /// <summary>Recordings started at or after this instant.</summary>
    public DateTimeOffset? StartedFrom { get; init; }

    /// <summary>Recordings started strictly before this instant.</summary>
    public DateTimeOffset? StartedBefore { get; init; }

    /// <summary>Only recordings in this status (in-progress after a crash, for repair).</summary>
    public RecordingStatus? Status { get; init; }

    /// <summary>
    /// Only recordings inside one of these (a user's scopes, <see cref="Access.Authorizer.Reach"/>),
    /// applied by the store in its query; null for no such condition, empty for none at all.
    /// </summary>
    public IReadOnlyList<Access.RecordingReach>? Reach { get; init; }

    /// <summary>Whether tombstones are listed too.</summary>
    public bool IncludeErased { get; init; } = true;

    /// <summary>Recordings per page, 1 to <see cref="MaxPageSize"/>.</summary>
    public int PageSize { get; init; } = 50;

    /// <summary>Where the page starts: the <see cref="RecordingPage.NextCursor"/> of the page before; null for the first.</summary>
    public RecordingCursor? After { get; init; }

    /// <summary>The criteria in one line, for the audit log's detail and the CLI's header.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        Append(text, "number", ProspectNumber);
        Append(text, "campaign", CampaignId);
        Append(text, "agent", AgentId);
        Append(text, "from", StartedFrom?.ToString("O", CultureInfo.InvariantCulture));
        Append(text, "before", StartedBefore?.ToString("O", CultureInfo.InvariantCulture));
        Append(text, "status", Status?.ToString());
        Append(text, "erased", IncludeErased ? null : "excluded");
        return text.Length == 0 ? "all" : text.ToString();
    }

    private static void Append(StringBuilder text, string name, string? value)
    {
        if (value is null)
        {
            return;
        }

        if (text.Length > 0)
        {
            text.Append(' ');
        }

        text.Append(name).Append('=').Append(value);
    }
}
