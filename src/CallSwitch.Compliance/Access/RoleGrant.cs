using System.Diagnostics.CodeAnalysis;

namespace CallSwitch.Compliance.Access;

/// <summary>A role a user holds, within a scope (<c>quality@campaign:spring</c>).</summary>
/// <param name="Role">The role.</param>
/// <param name="Scope">Where it applies.</param>
public sealed record RoleGrant(Role Role, AccessScope Scope)
{
    /// <summary>The grant as the CLI prints it: <c>quality@campaign:spring</c>, <c>admin@*</c>.</summary>
    public override string ToString() => $"{RoleNames.ToCode(Role)}@{Scope}";

    /// <summary>Reads <c>ROLE@SCOPE</c>; a bare <c>ROLE</c> is <c>ROLE@*</c>.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out RoleGrant? grant, [NotNullWhen(false)] out string? reason)
    {
        grant = null;
        string value = text?.Trim() ?? string.Empty;
        int at = value.IndexOf('@', StringComparison.Ordinal);
        string roleText = at < 0 ? value : value[..at];
        if (!RoleNames.TryParse(roleText, out Role? role))
        {
            reason = $"not a role: '{roleText}' ({string.Join(", ", RoleNames.All.Select(RoleNames.ToCode))})";
            return false;
        }

        if (!AccessScope.TryParse(at < 0 ? "*" : value[(at + 1)..], out AccessScope? scope, out reason))
        {
            return false;
        }

        grant = new RoleGrant(role.Value, scope);
        return true;
    }
}
