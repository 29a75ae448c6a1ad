using System.Collections.Frozen;
using CallSwitch.Compliance.Storage;

namespace CallSwitch.Compliance.Access;

/// <summary>
/// The users as principals, loaded from the store and kept in memory, so that finding who is
/// acting (by name, or by the SIP extension on the switch's call path) costs no I/O. Reloaded
/// when the store reports a change made through it, and on <see cref="ReloadAsync"/> (a change
/// made by another process, e.g. <c>callswitch users</c> while the switch runs).
/// Signing in checks the password against the store and audits the attempt.
/// </summary>
/// <remarks>Thread-safe: the snapshot is replaced whole.</remarks>
public sealed class UserDirectory : IDisposable
{
    /// <summary>The purpose written in the audit log for sign-ins.</summary>
    public const string SignInPurpose = "sign-in";

    private static readonly Lazy<string> DummyHash = new(() => PasswordHasher.Hash(Guid.NewGuid().ToString()));

    private readonly IUserStore _store;
    private readonly IAuditLog _audit;
    private readonly TimeProvider _time;
    private volatile Snapshot _snapshot = new([]);
    private readonly Lock _gate = new();
    private Exception? _lastReloadError;
    private long _generation;
    private long _applied;

    private UserDirectory(IUserStore store, IAuditLog audit, TimeProvider time)
    {
        _store = store;
        _audit = audit;
        _time = time;
        _store.UsersChanged += OnUsersChanged;
    }

    /// <summary>The error of the last reload started by a change event, if it failed (the previous snapshot stays).</summary>
    public Exception? LastReloadError => Volatile.Read(ref _lastReloadError);

    /// <summary>Loads the users and starts following the store's changes.</summary>
    public static async Task<UserDirectory> LoadAsync(IUserStore store, IAuditLog audit, TimeProvider time, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(time);
        var directory = new UserDirectory(store, audit, time);
        try
        {
            await directory.ReloadAsync(cancellationToken).ConfigureAwait(false);
            return directory;
        }
        catch
        {
            directory.Dispose();
            throw;
        }
    }

    /// <summary>The principal of a user by login name; null for an unknown one (a disabled user is found, holding no role).</summary>
    public Principal? Find(string name) => _snapshot.ByName.GetValueOrDefault(name);

    /// <summary>The principal whose SIP extension this is, if any.</summary>
    public Principal? FindByExtension(string extension) => _snapshot.ByExtension.GetValueOrDefault(extension);

    /// <summary>Reads the users again from the store.</summary>
    public async Task ReloadAsync(CancellationToken cancellationToken = default)
    {
        long generation = Interlocked.Increment(ref _generation);
        IReadOnlyList<User> users = await _store.ListUsersAsync(cancellationToken).ConfigureAwait(false);
        var snapshot = new Snapshot(users.Select(Principal.Of).ToList());

        // Two reloads may finish out of order: the one started last wins.
        lock (_gate)
        {
            if (generation > _applied)
            {
                _applied = generation;
                _snapshot = snapshot;
            }
        }
    }

    /// <summary>
    /// Checks a password; returns the principal, or null after auditing the failure. The reason
    /// is audited but not returned (telling "no such user" apart from "wrong password" helps guessing).
    /// PBKDF2 costs a fraction of a second of CPU: it runs on the thread pool.
    /// </summary>
    /// <param name="name">The login name.</param>
    /// <param name="password">The password (never logged nor kept).</param>
    /// <param name="from">Where the attempt comes from (an address, "cli"), for the audit log.</param>
    /// <param name="cancellationToken">Cancels.</param>
    public async Task<Principal?> SignInAsync(string name, string password, string from, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(password);
        ArgumentException.ThrowIfNullOrWhiteSpace(from);
        string actor = UserValidation.NameProblem(name) is null ? name : "(invalid name)";
        User? user = actor == name ? await _store.GetUserAsync(name, cancellationToken).ConfigureAwait(false) : null;
        string? hash = user is null ? null : await _store.GetPasswordHashAsync(name, cancellationToken).ConfigureAwait(false);
        // An unknown user costs the same PBKDF2 as a known one: the time taken tells nothing either.
        bool matches = await Task.Run(
            () => PasswordHasher.Verify(password, hash ?? DummyHash.Value) && hash is not null,
            cancellationToken).ConfigureAwait(false);
        string? failure = user is null ? "unknown user" : !matches ? "wrong password" : user.Disabled ? "user disabled" : null;
        await _audit.AppendAuditAsync(
            new AuditEvent(_time.GetUtcNow(), actor, failure is null ? AuditAction.Login : AuditAction.LoginFailed, null, SignInPurpose, failure is null ? $"from={from}" : $"from={from} reason={failure}"),
            cancellationToken).ConfigureAwait(false);
        return failure is null ? Principal.Of(user!) : null;
    }

    /// <summary>Stops following the store.</summary>
    public void Dispose() => _store.UsersChanged -= OnUsersChanged;

    private async void OnUsersChanged(object? sender, EventArgs e)
    {
        try
        {
            await ReloadAsync().ConfigureAwait(false);
            Volatile.Write(ref _lastReloadError, null);
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            // An event handler has no caller to throw to: keep the last snapshot and say why.
            Volatile.Write(ref _lastReloadError, error);
        }
    }

    private sealed class Snapshot
    {
        public Snapshot(List<Principal> principals)
        {
            ByName = principals.ToFrozenDictionary(p => p.Name, StringComparer.Ordinal);
            ByExtension = principals.Where(p => p.Extension is not null).ToFrozenDictionary(p => p.Extension!, StringComparer.Ordinal);
        }

        public FrozenDictionary<string, Principal> ByName { get; }

        public FrozenDictionary<string, Principal> ByExtension { get; }
    }
}
