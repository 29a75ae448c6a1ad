namespace CallSwitch.Compliance.Access;

/// <summary>
/// CallSwitch's users and their roles, kept in the metadata store. Every change is written with
/// its audit entry in the same transaction. Users are disabled, never deleted.
/// </summary>
/// <remarks>Thread-safe. <see cref="UsersChanged"/> fires after a change committed through this instance.</remarks>
public interface IUserStore
{
    /// <summary>Fires after a user change committed through this instance (a directory reloads on it).</summary>
    event EventHandler? UsersChanged;

    /// <summary>Adds a user; false when the name (or the extension) is taken.</summary>
    /// <exception cref="ArgumentException">A field is invalid.</exception>
    Task<bool> AddUserAsync(NewUser user, string actor, CancellationToken cancellationToken = default);

    /// <summary>The user, or null.</summary>
    Task<User?> GetUserAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Every user, by name.</summary>
    Task<IReadOnlyList<User>> ListUsersAsync(CancellationToken cancellationToken = default);

    /// <summary>The stored password hash, to check a password; null for an unknown user. Never log it.</summary>
    Task<string?> GetPasswordHashAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Disables or enables a user; false for an unknown user.</summary>
    Task<bool> SetDisabledAsync(string name, bool disabled, string actor, CancellationToken cancellationToken = default);

    /// <summary>Replaces the password hash; false for an unknown user.</summary>
    Task<bool> SetPasswordHashAsync(string name, string passwordHash, string actor, CancellationToken cancellationToken = default);

    /// <summary>Grants (or revokes) a role in a scope; false for an unknown user or when nothing changes.</summary>
    Task<bool> SetGrantAsync(string name, RoleGrant grant, bool granted, string actor, CancellationToken cancellationToken = default);
}
