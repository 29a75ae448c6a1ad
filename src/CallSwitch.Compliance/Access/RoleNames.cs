using System.Diagnostics.CodeAnalysis;

namespace CallSwitch.Compliance.Access;

/// <summary>The roles' names as the CLI, the store and the audit log write them.</summary>
public static class RoleNames
{
    /// <summary>Every role, in <see cref="Role"/> order.</summary>
    public static IReadOnlyList<Role> All { get; } = Enum.GetValues<Role>();

    /// <summary>The lower-case word of a role.</summary>
    public static string ToCode(Role role) => role switch
    {
        Role.Agent => "agent",
        Role.Supervisor => "supervisor",
        Role.Quality => "quality",
        Role.Manager => "manager",
        Role.Dpo => "dpo",
        Role.Admin => "admin",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, null),
    };

    /// <summary>Reads a role's word (case-insensitive).</summary>
    public static bool TryParse(string? code, [NotNullWhen(true)] out Role? role)
    {
        role = All.Cast<Role?>().FirstOrDefault(r => string.Equals(ToCode(r!.Value), code?.Trim(), StringComparison.OrdinalIgnoreCase));
        return role is not null;
    }
}
