using CallSwitch.Compliance.Access;
using CallSwitch.Compliance.Storage;
using CallSwitch.Compliance.Storage.Sqlite;
using CallSwitch.Compliance.Tests.Storage;
using Microsoft.Extensions.Time.Testing;

namespace CallSwitch.Compliance.Tests.Access;

/// <summary>A denied action is answered with its reason and audited; an allowed one is not (its access point audits it).</summary>
public sealed class AccessGuardTests : IDisposable
{
    private readonly TempDataDirectory _directory = new();
    private readonly FakeTimeProvider _time = new(StoreSamples.T0);

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task A_denied_action_is_audited_with_who_what_on_what_and_why()
    {
        await using SqliteMetadataStore store = Open();
        var guard = new AccessGuard(new Authorizer([new CampaignAccess { CampaignId = "spring", Purposes = ["quality"] }]), store, _time);
        var admin = new Principal("root", null, [new(Role.Admin, AccessScope.All)]);
        var resource = new AccessResource { CampaignId = "spring", Team = "sales", AgentExtension = "1001" };

        AccessDecision denied = await guard.CheckAsync(admin, AccessAction.Stream, resource, new AccessPurpose("quality"));
        AccessDecision allowed = await guard.CheckAsync(admin, AccessAction.Users, AccessResource.System);
        AccessDeniedException thrown = await Assert.ThrowsAsync<AccessDeniedException>(() => guard.DemandAsync(null, AccessAction.Config, AccessResource.System));

        Assert.False(denied.Allowed);
        Assert.True(allowed.Allowed);
        Assert.Equal("nobody is signed in", thrown.Message);
        IReadOnlyList<AuditEntry> audit = await store.ReadAuditAsync(0, 10);
        Assert.Equal(2, audit.Count);
        AuditEvent first = audit[0].Event;
        Assert.Equal(AuditAction.AccessDenied, first.Action);
        Assert.Equal("root", first.Actor);
        Assert.Equal("quality", first.Purpose);
        Assert.Equal(StoreSamples.T0, first.At);
        Assert.Equal("action=stream campaign=spring team=sales agent=1001 reason=none of root's roles (admin@*) may listen to a recording", first.Detail);
        Assert.Equal("(anonymous)", audit[1].Event.Actor);
        Assert.Equal(AccessGuard.NoPurpose, audit[1].Event.Purpose);
        Assert.Equal("action=config system reason=nobody is signed in", audit[1].Event.Detail);
    }

    [Fact]
    public async Task The_directory_finds_users_by_name_and_extension_and_follows_changes()
    {
        await using SqliteMetadataStore store = Open();
        await store.AddUserAsync(new NewUser("alice", PasswordHasher.Hash("a long password", 10), "1001", [new(Role.Agent, AccessScope.All)]), "root");
        using UserDirectory directory = await UserDirectory.LoadAsync(store, store, _time);

        Assert.Equal("alice", directory.FindByExtension("1001")?.Name);
        Assert.Null(directory.Find("bob"));

        await store.AddUserAsync(new NewUser("bob", "h", null, []), "root");
        await directory.ReloadAsync();
        Assert.NotNull(directory.Find("bob"));
        await store.SetDisabledAsync("alice", true, "root");
        await directory.ReloadAsync();
        Assert.Empty(directory.Find("alice")!.Grants);
        Assert.Null(directory.LastReloadError);
    }

    [Fact]
    public async Task Sign_in_checks_the_password_and_audits_success_and_failure_without_it()
    {
        await using SqliteMetadataStore store = Open();
        await store.AddUserAsync(new NewUser("alice", PasswordHasher.Hash("a long password", 10), null, [new(Role.Quality, AccessScope.All)]), "root");
        await store.AddUserAsync(new NewUser("gone", PasswordHasher.Hash("a long password", 10), null, []), "root");
        await store.SetDisabledAsync("gone", true, "root");
        using UserDirectory directory = await UserDirectory.LoadAsync(store, store, _time);

        Assert.Equal([new RoleGrant(Role.Quality, AccessScope.All)], (await directory.SignInAsync("alice", "a long password", "cli"))!.Grants);
        Assert.Null(await directory.SignInAsync("alice", "wrong password", "10.0.0.7"));
        Assert.Null(await directory.SignInAsync("mallory", "a long password", "10.0.0.7"));
        Assert.Null(await directory.SignInAsync("gone", "a long password", "cli"));

        IReadOnlyList<AuditEntry> audit = (await store.ReadAuditAsync(0, 100)).Where(e => e.Event.Purpose == UserDirectory.SignInPurpose).ToList();
        Assert.Equal(
            ["login alice from=cli", "login-failed alice from=10.0.0.7 reason=wrong password", "login-failed mallory from=10.0.0.7 reason=unknown user", "login-failed gone from=cli reason=user disabled"],
            audit.Select(e => $"{(e.Event.Action == AuditAction.Login ? "login" : "login-failed")} {e.Event.Actor} {e.Event.Detail}"));
        Assert.All(audit, e => Assert.DoesNotContain("long password", e.Event.Detail, StringComparison.Ordinal));
    }

    private SqliteMetadataStore Open() =>
        SqliteMetadataStore.Open(new SqliteMetadataStoreOptions { DataDirectory = _directory.Path, Time = _time });
}
