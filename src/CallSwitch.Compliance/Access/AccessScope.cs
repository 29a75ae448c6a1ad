using System.Diagnostics.CodeAnalysis;

namespace CallSwitch.Compliance.Access;

/// <summary>
/// Where a role applies: everywhere (<c>*</c>), one team (<c>team:sales</c>) or one campaign
/// (<c>campaign:spring</c>), as the CLI and the store spell it.
/// </summary>
/// <param name="Kind">All, a team or a campaign.</param>
/// <param name="Name">The team's or campaign's id; empty for <see cref="ScopeKind.All"/>.</param>
public sealed record AccessScope(ScopeKind Kind, string Name)
{
    /// <summary>Every team and campaign.</summary>
    public static AccessScope All { get; } = new(ScopeKind.All, string.Empty);

    /// <summary>One team.</summary>
    public static AccessScope Team(string team) => new(ScopeKind.Team, Token(team, "team"));

    /// <summary>One campaign.</summary>
    public static AccessScope Campaign(string campaign) => new(ScopeKind.Campaign, Token(campaign, "campaign"));

    /// <summary>Whether the scope covers something of this team and campaign (either may be unknown: null).</summary>
    public bool Covers(string? team, string? campaign) => Kind switch
    {
        ScopeKind.All => true,
        ScopeKind.Team => team is not null && string.Equals(team, Name, StringComparison.Ordinal),
        _ => campaign is not null && string.Equals(campaign, Name, StringComparison.Ordinal),
    };

    /// <summary>Reads <c>*</c>, <c>team:NAME</c> or <c>campaign:NAME</c>.</summary>
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
        if (!IsToken(name) || kind is not ("team" or "campaign"))
        {
            reason = $"not a scope: '{value}' (*, team:NAME or campaign:NAME)";
            return false;
        }

        scope = kind == "team" ? new AccessScope(ScopeKind.Team, name) : new AccessScope(ScopeKind.Campaign, name);
        return true;
    }

    /// <summary>The scope as <see cref="TryParse"/> reads it.</summary>
    public override string ToString() => Kind switch
    {
        ScopeKind.All => "*",
        ScopeKind.Team => $"team:{Name}",
        _ => $"campaign:{Name}",
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
