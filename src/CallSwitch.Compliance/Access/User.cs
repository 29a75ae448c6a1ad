namespace CallSwitch.Compliance.Access;

/// <summary>
/// A CallSwitch user (a person who signs in to the CLI or the console, not only a SIP agent).
/// Carries no password hash: that is read only to check a password (<see cref="IUserStore.GetPasswordHashAsync"/>).
/// </summary>
/// <param name="Name">The login name.</param>
/// <param name="Extension">The SIP account (the configuration's <c>agents:</c> extension) this user takes calls on, if any.</param>
/// <param name="Disabled">Whether the user may no longer sign in or act (users are disabled, never deleted: the audit log names them).</param>
/// <param name="Grants">The roles held, each within its scope.</param>
/// <param name="CreatedAt">When the user was added.</param>
public sealed record User(string Name, string? Extension, bool Disabled, IReadOnlyList<RoleGrant> Grants, DateTimeOffset CreatedAt)
{
    /// <summary>Whether the user holds a role anywhere.</summary>
    public bool Holds(Role role) => Grants.Any(g => g.Role == role);
}
