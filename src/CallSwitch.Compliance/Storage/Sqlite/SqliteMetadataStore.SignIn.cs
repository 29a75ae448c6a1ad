using CallSwitch.Compliance.Access;

namespace CallSwitch.Compliance.Storage.Sqlite;

/// <summary>The store's failed sign-ins per name (<see cref="ISignInFailureStore"/>): the console's lockouts survive a restart.</summary>
public sealed partial class SqliteMetadataStore : ISignInFailureStore
{
    /// <inheritdoc />
    public Task<SignInFailures?> GetSignInFailuresAsync(string name, CancellationToken cancellationToken = default)
    {
        StoreValidation.Required(name, "name");
        return ReadAsync((connection, transaction) => SqliteSignInSql.Get(connection, transaction, name), cancellationToken);
    }

    /// <inheritdoc />
    public Task<SignInFailures?> ChangeSignInFailuresAsync(
        string name, DateTimeOffset forgetBefore, Func<SignInFailures?, SignInFailures?> change, CancellationToken cancellationToken = default)
    {
        StoreValidation.Required(name, "name");
        ArgumentNullException.ThrowIfNull(change);
        return _writer.WriteAsync(
            "count a failed sign-in",
            (connection, transaction) => SqliteSignInSql.Change(connection, transaction, name, forgetBefore, change),
            cancellationToken);
    }
}
