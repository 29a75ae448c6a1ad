namespace CallSwitch.Compliance.Access;

/// <summary>Who acts: a signed-in user as the authorisation service sees them (no password, no I/O).</summary>
/// <param name="Name">The user's login name (written in the audit log).</param>
/// <param name="Extension">The SIP extension linked to the user, if any.</param>
/// <param name="Grants">The roles held; none for a disabled user.</param>
public sealed record Principal(string Name, string? Extension, IReadOnlyList<RoleGrant> Grants)
{
    /// <summary>The principal of a stored user; a disabled user holds no role.</summary>
    public static Principal Of(User user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return new Principal(user.Name, user.Extension, user.Disabled ? [] : user.Grants);
    }
}
