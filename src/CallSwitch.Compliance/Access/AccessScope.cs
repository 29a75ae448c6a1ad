using System.Diagnostics.CodeAnalysis;

namespace CallSwitch.Compliance.Access;

/// <summary>
/// Where a role applies: everywhere (<c>*</c>), one team (<c>team:sales</c>), one campaign
/// (<c>campaign:spring</c>), as the CLI and the store spell it; or one agent's calls (<c>agent:1001</c>, API clients only).
/// </summary>
/// <param name="Kind">All, a team, a campaign or an agent.</param>
/// <param name="Name">The team's or campaign's id, or the agent's extension; empty for <see cref="ScopeKind.All"/>.</param>
public sealed record AccessScope(ScopeKind Kind, string Name)
{
    /// <summary>Every team and campaign.</summary>
    public static AccessScope All { get; } = new(ScopeKind.All, string.Empty);

    /// <summary>One team.</summary>
    public static AccessScope Team(string team) => new(ScopeKind.Team, Token(team, "team"));

    /// <summary>One campaign.</summary>
    public static AccessScope Campaign(string campaign) => new(ScopeKind.Campaign, Token(campaign, "campaign"));

    /// <summary>One agent's calls and recordings.</summary>
    public static AccessScope Agent(string extension) => new(ScopeKind.Agent, Token(extension, "extension"));

    /// <summary>Whether the scope covers something of this team and campaign (either may be unknown: null); an agent scope covers neither.</summary>
    public bool Covers(string? team, string? campaign) => Covers(team, campaign, null);

    /// <summary>Whether the scope covers what a resource belongs to: its team, campaign or agent.</summary>
    public bool Covers(AccessResource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return Covers(resource.Team, resource.CampaignId, resource.AgentExtension);
    }

    private bool Covers(string? team, string? campaign, string? agent) => Kind switch
    {
        ScopeKind.All => true,
        ScopeKind.Team => Same(team),
        ScopeKind.Campaign => Same(campaign),
        _ => Same(agent),
    };

    private bool Same(string? value) => value is not null && string.Equals(value, Name, StringComparison.Ordinal);

    /// <summary>
    /// Reads <c>*</c>, <c>team:NAME</c> or <c>campaign:NAME</c>: the scopes a user may hold. An
    /// agent scope is made only for API clients (<see cref="Agent"/>), never stored for a user.
    /// </summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out AccessScope? scope, [NotNullWhen(false)] out string? reason)
    {
        scope = null;
        reason = null;
        string value = text?.Trim() ?? string.Empty;
        if (value == "*")
        {
            scope = All;
            return true;
        }

        int colon = value.IndexOf(':', StringComparison.Ordinal);
        string kind = colon < 0 ? value : value[..colon];
        string name = colon < 0 ? string.Empty : value[(colon + 1)..];
        ScopeKind? parsed = kind switch
        {
            "team" => ScopeKind.Team,
            "campaign" => ScopeKind.Campaign,
            _ => null,
        };
        if (!IsToken(name) || parsed is null)
        {
            reason = $"not a scope: '{value}' (*, team:NAME or campaign:NAME)";
            return false;
        }

        scope = new AccessScope(parsed.Value, name);
        return true;
    }

    /// <summary>The scope as <see cref="TryParse"/> reads it.</summary>
    public override string ToString() => Kind switch
    {
        ScopeKind.All => "*",
        ScopeKind.Team => $"team:{Name}",
        ScopeKind.Campaign => $"campaign:{Name}",
        _ => $"agent:{Name}",
    };

    /// <summary>Letters, digits, '.', '-', '_' (the configuration's ids).</summary>
    internal static bool IsToken(string value) =>
        value.Length is > 0 and <= 64 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_');

    private static string Token(string value, string what)
    {
        ArgumentNullException.ThrowIfNull(value);
        return IsToken(value) ? value : throw new ArgumentException($"not a {what} id: '{value}'", nameof(value));
    }
}
