using CallSwitch.Compliance.Access;
using CallSwitch.Compliance.Storage;
using CallSwitch.Compliance.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace CallSwitch.Compliance.Tests.Storage;

/// <summary>Users and roles in the metadata store: each change committed with its audit entry, users never deleted.</summary>
public sealed class SqliteUserStoreTests : IDisposable
{
    private static readonly RoleGrant QualitySpring = new(Role.Quality, AccessScope.Campaign("spring"));

    private readonly TempDataDirectory _directory = new();
    private readonly FakeTimeProvider _time = new(StoreSamples.T0);

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task A_user_is_added_with_roles_and_extension_and_the_addition_is_audited()
    {
        await using SqliteMetadataStore store = Open();
        int changes = 0;
        store.UsersChanged += (_, _) => changes++;

        Assert.True(await store.AddUserAsync(new NewUser("alice", PasswordHasher.Hash("pw", 10), "1001", [new(Role.Agent, AccessScope.Team("sales"))]), "root"));

        User? alice = await store.GetUserAsync("alice");
        Assert.NotNull(alice);
        Assert.Equal("1001", alice.Extension);
        Assert.False(alice.Disabled);
        Assert.Equal([new RoleGrant(Role.Agent, AccessScope.Team("sales"))], alice.Grants);
        Assert.Equal(StoreSamples.T0, alice.CreatedAt);
        Assert.Equal(1, changes);
        AuditEntry entry = Assert.Single(await store.ReadAuditAsync(0, 10));
        Assert.Equal(AuditAction.UserAdded, entry.Event.Action);
        Assert.Equal("root", entry.Event.Actor);
        Assert.Equal("user=alice roles=agent@team:sales extension=1001", entry.Event.Detail);
    }

    [Fact]
    public async Task A_taken_name_or_extension_is_refused_and_nothing_is_audited()
    {
        await using SqliteMetadataStore store = Open();
        Assert.True(await store.AddUserAsync(new NewUser("alice", "h", "1001", []), "root"));

        Assert.False(await store.AddUserAsync(new NewUser("alice", "h", null, []), "root"));
        Assert.False(await store.AddUserAsync(new NewUser("bob", "h", "1001", []), "root"));
        Assert.Single(await store.ListUsersAsync());
        Assert.Single(await store.ReadAuditAsync(0, 10));
    }

    [Fact]
    public async Task Roles_are_granted_and_revoked_in_a_scope_each_change_audited()
    {
        await using SqliteMetadataStore store = Open();
        await store.AddUserAsync(new NewUser("qa", "h", null, []), "root");

        Assert.True(await store.SetGrantAsync("qa", QualitySpring, granted: true, "root"));
        Assert.False(await store.SetGrantAsync("qa", QualitySpring, granted: true, "root"));
        Assert.True(await store.SetGrantAsync("qa", new RoleGrant(Role.Manager, AccessScope.All), granted: true, "root"));
        Assert.Equal(
            [new RoleGrant(Role.Quality, AccessScope.Campaign("spring")), new RoleGrant(Role.Manager, AccessScope.All)],
            (await store.GetUserAsync("qa"))!.Grants.OrderBy(g => g.Role == Role.Manager));
        Assert.True(await store.SetGrantAsync("qa", QualitySpring, granted: false, "root"));
        Assert.False(await store.SetGrantAsync("qa", QualitySpring, granted: false, "root"));
        Assert.False(await store.SetGrantAsync("nobody", QualitySpring, granted: true, "root"));

        Assert.Equal([new RoleGrant(Role.Manager, AccessScope.All)], (await store.GetUserAsync("qa"))!.Grants);
        Assert.Equal(
            [AuditAction.UserAdded, AuditAction.RoleGranted, AuditAction.RoleGranted, AuditAction.RoleRevoked],
            (await store.ReadAuditAsync(0, 10)).Select(e => e.Event.Action));
    }

    [Fact]
    public async Task Disabling_and_password_changes_are_kept_and_audited_without_the_hash()
    {
        await using SqliteMetadataStore store = Open();
        await store.AddUserAsync(new NewUser("bob", PasswordHasher.Hash("old", 10), null, []), "root");

        Assert.True(await store.SetPasswordHashAsync("bob", PasswordHasher.Hash("new", 10), "root"));
        Assert.True(await store.SetDisabledAsync("bob", true, "root"));
        Assert.False(await store.SetDisabledAsync("nobody", true, "root"));

        Assert.True((await store.GetUserAsync("bob"))!.Disabled);
        string? hash = await store.GetPasswordHashAsync("bob");
        Assert.True(PasswordHasher.Verify("new", hash!));
        Assert.Null(await store.GetPasswordHashAsync("nobody"));
        IReadOnlyList<AuditEntry> audit = await store.ReadAuditAsync(0, 10);
        Assert.Equal([AuditAction.UserAdded, AuditAction.PasswordChanged, AuditAction.UserDisabled], audit.Select(e => e.Event.Action));
        Assert.All(audit, e => Assert.DoesNotContain("pbkdf2", e.Event.Detail, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Users_cannot_be_deleted_from_the_file()
    {
        await using SqliteMetadataStore store = Open();
        await store.AddUserAsync(new NewUser("carol", "h", null, []), "root");
        await store.FlushAsync();

        using var raw = new SqliteConnection($"Data Source={store.DatabasePath}");
        raw.Open();
        using SqliteCommand delete = raw.CreateCommand();
        delete.CommandText = "DELETE FROM users";
        SqliteException error = Assert.Throws<SqliteException>(() => delete.ExecuteNonQuery());
        Assert.Contains("never deleted", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a b")]
    [InlineData("x;drop")]
    public async Task A_bad_name_is_refused_before_the_store(string name)
    {
        await using SqliteMetadataStore store = Open();
        await Assert.ThrowsAsync<ArgumentException>(() => store.AddUserAsync(new NewUser(name, "h", null, []), "root"));
        Assert.Empty(await store.ReadAuditAsync(0, 10));
    }

    private SqliteMetadataStore Open() =>
        SqliteMetadataStore.Open(new SqliteMetadataStoreOptions { DataDirectory = _directory.Path, Time = _time });
}
