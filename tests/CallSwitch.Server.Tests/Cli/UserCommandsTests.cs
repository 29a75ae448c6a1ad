using CallSwitch.Compliance.Access;
using CallSwitch.Compliance.Storage;
using CallSwitch.Compliance.Storage.Sqlite;
using CallSwitch.Configuration;
using CallSwitch.Server.Cli;
using CallSwitch.TestSupport;

namespace CallSwitch.Server.Tests.Cli;

/// <summary><c>callswitch users add|list|disable|passwd|role</c>, run in-process on a store in a temporary data directory.</summary>
public sealed class UserCommandsTests : IDisposable
{
    private readonly string _config = ConfigFixture.WriteLocalConfig();

    private string Folder => Path.GetDirectoryName(_config)!;

    public void Dispose() => Directory.Delete(Folder, recursive: true);

    [Fact]
    public async Task Users_are_added_listed_changed_and_disabled_with_every_change_audited()
    {
        var (code, output, error) = await RunAsync("add", new UserArguments { Name = "alice", Extension = "1001", Grant = ["agent@team:sales"] }, "a long password");
        Assert.True(code == 0, error);
        Assert.Contains("added alice", output, StringComparison.Ordinal);

        (code, output, error) = await RunAsync("role", new UserArguments { Name = "alice", Grant = ["quality@campaign:spring"], Revoke = ["agent@team:sales"] });
        Assert.True(code == 0, error);
        Assert.Contains("granted quality@campaign:spring", output, StringComparison.Ordinal);
        Assert.Contains("revoked agent@team:sales", output, StringComparison.Ordinal);

        (code, _, error) = await RunAsync("passwd", new UserArguments { Name = "alice" }, "another long password");
        Assert.True(code == 0, error);
        (code, _, error) = await RunAsync("disable", new UserArguments { Name = "alice" });
        Assert.True(code == 0, error);

        (code, output, _) = await RunAsync("list", new UserArguments());
        Assert.Equal(0, code);
        Assert.StartsWith("alice  1001  disabled  ", output, StringComparison.Ordinal);
        Assert.EndsWith("  quality@campaign:spring", output.TrimEnd(), StringComparison.Ordinal);

        await using SqliteMetadataStore store = SqliteMetadataStore.Open(new SqliteMetadataStoreOptions { DataDirectory = Path.Combine(Folder, "data") });
        Assert.True(PasswordHasher.Verify("another long password", (await store.GetPasswordHashAsync("alice"))!));
        IReadOnlyList<AuditEntry> audit = await store.ReadAuditAsync(0, 100);
        Assert.Equal(
            [AuditAction.UserAdded, AuditAction.RoleGranted, AuditAction.RoleRevoked, AuditAction.PasswordChanged, AuditAction.UserDisabled],
            audit.Select(e => e.Event.Action));
        Assert.All(audit, e => Assert.Equal(Environment.UserName, e.Event.Actor));
        Assert.All(audit, e => Assert.DoesNotContain("password", e.Event.Detail ?? string.Empty, StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData("add", "bad name", null, null, "short", "not a user name")]
    [InlineData("add", "bob", "agent@site:paris", null, "a long password", "not a scope")]
    [InlineData("add", "bob", "root", null, "a long password", "not a role: 'root'")]
    [InlineData("add", "bob", null, "9999", "a long password", "no agent with extension 9999")]
    [InlineData("add", "bob", null, null, "short", "at least 10 characters")]
    [InlineData("add", "bob", null, null, null, "at least 10 characters")]
    [InlineData("role", "bob", null, null, null, "needs --grant or --revoke")]
    public async Task Bad_input_gets_one_line_and_exit_2_and_adds_nothing(string command, string name, string? grant, string? extension, string? password, string reason)
    {
        var arguments = new UserArguments { Name = name, Extension = extension, Grant = grant is null ? [] : [grant] };

        var (code, _, error) = await RunAsync(command, arguments, password);

        Assert.Equal(2, code);
        Assert.Contains(reason, error, StringComparison.Ordinal);
        (_, string output, _) = await RunAsync("list", new UserArguments());
        Assert.Equal(string.Empty, output);
    }

    [Fact]
    public async Task An_unknown_user_or_a_taken_name_fails_with_exit_1()
    {
        await RunAsync("add", new UserArguments { Name = "carol" }, "a long password");

        var (code, _, error) = await RunAsync("add", new UserArguments { Name = "carol" }, "a long password");
        Assert.Equal(1, code);
        Assert.Contains("already exists", error, StringComparison.Ordinal);
        (code, _, error) = await RunAsync("disable", new UserArguments { Name = "dave" });
        Assert.Equal(1, code);
        Assert.Contains("no user dave", error, StringComparison.Ordinal);
        (code, _, error) = await RunAsync("passwd", new UserArguments { Name = "dave" }, "a long password");
        Assert.Equal(1, code);
        Assert.Contains("no user dave", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_command_line_reads_repeated_roles_and_has_no_password_option()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        int code = await CommandLine.RunAsync(["users", "add", "erin", "--password", "x", "--config", _config], output, error);

        Assert.Equal(2, code);
        Assert.Contains("'--password'", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Once_an_admin_exists_only_an_admin_manages_users()
    {
        var (code, _, error) = await RunAsync("add", new UserArguments { Name = "boss", Grant = ["admin@*"] }, "boss password 1");
        Assert.True(code == 0, error);

        (code, _, error) = await RunAsync("add", new UserArguments { Name = "carl" }, "carl password 1");
        Assert.Equal(1, code);
        Assert.Contains($"users add refused: the OS user {Environment.UserName} is not a CallSwitch user", error, StringComparison.Ordinal);
        (code, _, error) = await RunAsync("add", new UserArguments { Name = "carl", As = "boss", ReadOwnPassword = () => "wrong" }, "carl password 1");
        Assert.Equal(1, code);
        Assert.Contains("--as boss: sign-in failed", error, StringComparison.Ordinal);
        (code, _, error) = await RunAsync("add", new UserArguments { Name = "carl", As = "boss", ReadOwnPassword = () => "boss password 1" }, "carl password 1");
        Assert.True(code == 0, error);

        await using SqliteMetadataStore store = SqliteMetadataStore.Open(new SqliteMetadataStoreOptions { DataDirectory = Path.Combine(Folder, "data") });
        AuditEntry added = Assert.Single(await store.SearchAuditAsync(new AuditQuery { Action = AuditAction.UserAdded, Actor = "boss" }));
        Assert.StartsWith("user=carl", added.Event.Detail, StringComparison.Ordinal);
    }

    private async Task<(int Code, string Output, string Error)> RunAsync(string command, UserArguments arguments, string? password = null)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = await UserCommands.RunAsync(command, arguments with { Config = _config }, CommandLine.Load, () => password, output, error, CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }
}
