namespace CallSwitch.Compliance.Access;

/// <summary>A user to add.</summary>
/// <param name="Name">The login name: letters, digits, '.', '-', '_', '@' (an e-mail address fits).</param>
/// <param name="PasswordHash">The password, hashed by <see cref="PasswordHasher.Hash(string)"/>.</param>
/// <param name="Extension">The SIP account linked to the user, if any.</param>
/// <param name="Grants">The roles to start with.</param>
public sealed record NewUser(string Name, string PasswordHash, string? Extension, IReadOnlyList<RoleGrant> Grants)
{
    /// <summary>The user without the hash (records print every property).</summary>
    public override string ToString() => $"{Name} ({string.Join(", ", Grants)})";
}
