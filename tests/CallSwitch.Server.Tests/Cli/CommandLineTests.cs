using System.CommandLine;
using CallSwitch.Server.Cli;

namespace CallSwitch.Server.Tests.Cli;

/// <summary>The command line itself, run in process: help, parse errors and their exit code, completion.</summary>
public class CommandLineTests
{
    [Fact]
    public async Task HelpListsTheCommands()
    {
        var (code, output, error) = await RunAsync("--help");

        Assert.Equal(0, code);
        Assert.Empty(error);
        Assert.Contains("callswitch [command] [options]", output, StringComparison.Ordinal);
        foreach (string command in new[] { "serve", "config", "hash-password", "api-token", "recordings" })
        {
            Assert.Matches($@"(?m)^\s+{command}\s+\S", output);
        }
    }

    [Fact]
    public async Task RecordingsHelpListsItsCommandsAndNotTheOthers()
    {
        var (code, output, _) = await RunAsync("recordings", "--help");

        Assert.Equal(0, code);
        Assert.Contains("callswitch recordings [command]", output, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^\s+list\s+Every recording", output);
        Assert.Matches(@"(?m)^\s+search\s+\S", output);
        Assert.Matches(@"(?m)^\s+export <ID>\s+\S", output);
        Assert.DoesNotContain("hash-password", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HashPasswordHelpDescribesItsOptions()
    {
        var (code, output, _) = await RunAsync("hash-password", "-h");

        Assert.Equal(0, code);
        Assert.Matches(@"(?m)^\s+--user <EXT> \(REQUIRED\)\s+The agent's extension", output);
        Assert.Matches(@"(?m)^\s+--password <PW>\s+.*standard input", output);
        Assert.DoesNotContain("recordings", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("recordings", "export", "--help")]
    [InlineData("help", "recordings", "export")]
    public async Task EachSubcommandHasItsOwnHelp(params string[] args)
    {
        var (code, output, _) = await RunAsync(args);

        Assert.Equal(0, code);
        Assert.Contains("callswitch recordings export <ID> [options]", output, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^\s+--out <FILE\.ogg> \(REQUIRED\)\s+\S", output);
        Assert.Matches(@"(?m)^\s+--config <FILE>\s+\S", output);
    }

    [Fact]
    public void EveryCommandOptionAndArgumentIsDescribed()
    {
        var missing = new List<string>();
        Walk(CliCommands.Build());
        Assert.Empty(missing);

        void Walk(Command command)
        {
            string path = CliCommands.PathOf(command);
            if (string.IsNullOrWhiteSpace(command.Description))
            {
                missing.Add(path);
            }

            missing.AddRange(command.Options.Where(o => string.IsNullOrWhiteSpace(o.Description)).Select(o => $"{path} {o.Name}"));
            missing.AddRange(command.Arguments.Where(a => string.IsNullOrWhiteSpace(a.Description)).Select(a => $"{path} {a.Name}"));
            foreach (Command child in command.Subcommands)
            {
                Walk(child);
            }
        }
    }

    [Theory]
    [InlineData("hash-password --user 1001 --bogus x", "'--bogus'", "callswitch hash-password --help")]
    [InlineData("frobnicate", "'frobnicate'", "callswitch --help")]
    [InlineData("recordings frobnicate", "'frobnicate'", "callswitch recordings --help")]
    [InlineData("hash-password --password x", "'--user' is required", "callswitch hash-password --help")]
    [InlineData("recordings export 0123", "'--out' is required", "callswitch recordings export --help")]
    [InlineData("recordings search --agent 1001 --agent 1002", "--agent", "callswitch recordings search --help")]
    [InlineData("config check a.yaml b.yaml", "'b.yaml'", "callswitch config check --help")]
    [InlineData("serve --config", "'--config'", "callswitch serve --help")]
    public async Task ABadCommandLineGivesOneLineOfReasonAndExitCodeTwo(string line, string reason, string hint)
    {
        var (code, output, error) = await RunAsync(line.Split(' '));

        Assert.Equal(2, code);
        Assert.Empty(output);
        string only = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(reason, only, StringComparison.Ordinal);
        Assert.EndsWith($"(see {hint})", only.TrimEnd(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("recordings lsit", "Unrecognized command or argument 'lsit'. Did you mean 'list'? (see callswitch recordings --help)")]
    [InlineData("hash-password --usr 1001", "Unrecognized command or argument '--usr'. Did you mean '--user'? (see callswitch hash-password --help)")]
    [InlineData("serv", "Unrecognized command or argument 'serv'. Did you mean 'serve'? (see callswitch --help)")]
    [InlineData("recordings search --numbr 0612345678", "Unrecognized command or argument '--numbr'. Did you mean '--number'? (see callswitch recordings search --help)")]
    [InlineData("frob", "Unrecognized command or argument 'frob'. (see callswitch --help)")]
    public async Task AMistypedWordGetsTheClosestNameAsASuggestion(string line, string reason)
    {
        var (code, _, error) = await RunAsync(line.Split(' '));

        Assert.Equal(2, code);
        Assert.Equal(reason, error.TrimEnd());
    }

    [Theory]
    [InlineData(new string[0], "callswitch needs a command: serve, config, hash-password, api-token, recordings, receipts, holds, retention, users, audit, kpi, register, requests, do-not-call, selftest")]
    [InlineData(new[] { "recordings" }, "callswitch recordings needs a command: list, search, export, repair, erase, extract")]
    [InlineData(new[] { "config" }, "callswitch config needs a command: check, show, show-default")]
    public async Task ACommandWithoutItsSubcommandShowsItsHelpAndExitsWithTwo(string[] args, string reason)
    {
        var (code, output, error) = await RunAsync(args);

        Assert.Equal(2, code);
        Assert.Contains("Usage:", output, StringComparison.Ordinal);
        Assert.Equal(reason, error.Trim());
    }

    [Fact]
    public async Task APasswordStartingWithAtIsAPasswordNotAResponseFile()
    {
        var (code, output, error) = await RunAsync("hash-password", "--user", "1001", "--password", "@demo1001");

        Assert.True(code == 0, error);
        Assert.Contains("ha1_md5: ", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("callswitch recordings sea", "search")] // "se" also completes to erase
    [InlineData("callswitch recordings search --nu", "--number")]
    [InlineData("callswitch hash-", "hash-password")]
    public async Task TheSuggestDirectiveCompletesCommandsAndOptions(string line, string completion)
    {
        var (code, output, _) = await RunAsync($"[suggest:{line.Length}]", line);

        Assert.Equal(0, code);
        Assert.Equal([completion], output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = await CommandLine.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
