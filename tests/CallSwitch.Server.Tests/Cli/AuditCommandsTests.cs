using CallSwitch.Compliance.Access;
using CallSwitch.Compliance.Storage;
using CallSwitch.Compliance.Storage.Sqlite;
using CallSwitch.Configuration;
using CallSwitch.Server.Cli;
using CallSwitch.TestSupport;
using Microsoft.Data.Sqlite;

namespace CallSwitch.Server.Tests.Cli;

/// <summary><c>callswitch audit verify|anchor|search</c> through the command line, on a store written through its API.</summary>
public sealed class AuditCommandsTests : IDisposable
{
    private readonly string _config = ConfigFixture.WriteLocalConfig();

    private string Folder => Path.GetDirectoryName(_config)!;

    private string Data => Path.Combine(Folder, "data");

    public void Dispose() => Directory.Delete(Folder, recursive: true);

    [Fact]
    public async Task Verify_passes_then_names_the_entry_after_a_tail_cut_seen_against_the_anchor_file()
    {
        await WriteEntriesAsync(12);
        string anchors = Path.Combine(Folder, "anchors.txt");

        var (code, output, error) = await RunAsync("audit", "anchor", "--out", anchors);
        Assert.True(code == 0, error);
        Assert.StartsWith("12:", output, StringComparison.Ordinal);
        Assert.EndsWith(" " + output.Trim(), (await File.ReadAllTextAsync(anchors)).Trim(), StringComparison.Ordinal);

        (code, output, error) = await RunAsync("audit", "verify", "--anchors", anchors);
        Assert.True(code == 0, error);
        Assert.StartsWith("audit log intact: 12 entries, 1 anchor(s) reached, head 12:", output, StringComparison.Ordinal);

        Tamper("DELETE FROM audit_log WHERE sequence > 9");
        (code, _, _) = await RunAsync("audit", "verify");
        Assert.Equal(0, code);
        (code, _, error) = await RunAsync("audit", "verify", "--anchors", anchors);
        Assert.Equal(1, code);
        Assert.StartsWith("audit log BROKEN at entry 10: entry 10 is missing: the log ends at entry 9", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_names_a_changed_entry()
    {
        await WriteEntriesAsync(5);
        Tamper("UPDATE audit_log SET actor = 'someone-else' WHERE sequence = 3");

        var (code, _, error) = await RunAsync("audit", "verify");

        Assert.Equal(1, code);
        Assert.Equal("audit log BROKEN at entry 3: entry 3 was changed: its content does not match its hash", error.Trim());
    }

    [Fact]
    public async Task Search_filters_by_user_and_action_and_refuses_bad_values()
    {
        await WriteEntriesAsync(4);

        var (code, output, error) = await RunAsync("audit", "search", "--action", "role-granted", "--user", "root");
        Assert.True(code == 0, error);
        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(4, lines.Length);
        Assert.Contains($"  root  role-granted  -  user administration  user={Environment.UserName} role=manager@campaign:c1", lines[0], StringComparison.Ordinal);
        Assert.Equal("3 entries", lines[^1]);

        (code, _, error) = await RunAsync("audit", "search", "--action", "peek");
        Assert.Equal(2, code);
        Assert.StartsWith("--action: not an audit action: peek (view, export, play,", error, StringComparison.Ordinal);
        (code, _, error) = await RunAsync("audit", "verify", "--anchor", "12:xyz");
        Assert.Equal(2, code);
        Assert.Contains("not an anchor: 12:xyz", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_a_role_with_the_right_may_read_or_verify_the_audit_and_the_refusal_is_audited()
    {
        await WriteEntriesAsync(2, "quality");

        var (code, _, error) = await RunAsync("audit", "search");
        Assert.Equal(1, code);
        Assert.StartsWith($"audit search refused to {Environment.UserName}: none of", error, StringComparison.Ordinal);
        (code, _, error) = await RunAsync("audit", "verify");
        Assert.Equal(1, code);
        Assert.Contains("may verify the audit log", error, StringComparison.Ordinal);

        await using SqliteMetadataStore store = SqliteMetadataStore.Open(new SqliteMetadataStoreOptions { DataDirectory = Data });
        Assert.Equal(2, (await store.SearchAuditAsync(new AuditQuery { Action = AuditAction.AccessDenied })).Count);
        Assert.True((await store.VerifyAuditAsync([])).Intact);
    }

    /// <summary>
    /// Writes <paramref name="count"/> entries: the OS user added as a CallSwitch dpo (who runs the
    /// commands), then roles granted to it.
    /// </summary>
    private async Task WriteEntriesAsync(int count, string role = "dpo")
    {
        await using SqliteMetadataStore store = SqliteMetadataStore.Open(new SqliteMetadataStoreOptions { DataDirectory = Data });
        Assert.True(RoleGrant.TryParse(role, out RoleGrant? grant, out _));
        await store.AddUserAsync(new NewUser(Environment.UserName, PasswordHasher.Hash("operator password"), null, [grant]), "root");
        for (int i = 1; i < count; i++)
        {
            await store.SetGrantAsync(Environment.UserName, new RoleGrant(Role.Manager, AccessScope.Campaign("c" + i)), true, "root");
        }
    }

    private void Tamper(string sql)
    {
        using var raw = new SqliteConnection($"Data Source={Path.Combine(Data, SqliteMetadataStoreOptions.DefaultFileName)};Pooling=False");
        raw.Open();
        using SqliteCommand command = raw.CreateCommand();
        command.CommandText = "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete; " + sql;
        command.ExecuteNonQuery();
    }

    private async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = await CommandLine.RunAsync([.. args, "--config", _config], output, error);
        return (code, output.ToString(), error.ToString());
    }
}
