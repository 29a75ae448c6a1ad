namespace CallSwitch.Configuration.Tests;

/// <summary>Private-call prefixes: everyone's, a team's, an agent's own; each checked with its line.</summary>
public class PrivateCallsSectionTests
{
    private const string Inbound = "inbound:\n";

    private static string WithPrivateCalls(string section) => ConfigYaml.With(Inbound, "private_calls:\n" + section + Inbound);

    [Fact]
    public void AnAgentsOwnPrefixWinsOverItsTeamsWhichWinsOverEveryones()
    {
        string yaml = WithPrivateCalls("""
              prefix: "*60"
              teams:
                lyon: "#61"

            """).Replace("    role: supervisor\n", "    role: supervisor\n    private_prefix: \"*62\"\n", StringComparison.Ordinal);

        var (config, errors) = ConfigYaml.Load(yaml);

        Assert.Empty(errors);
        Assert.Equal("#61", config!.PrivateCalls.PrefixOf(config.FindAgent("1001")!));
        Assert.Equal("*62", config.PrivateCalls.PrefixOf(config.FindAgent("2001")!));
        Assert.Equal("*60", config.PrivateCalls.PrefixOf(config.FindAgent("2001")! with { PrivatePrefix = null }));
    }

    [Fact]
    public void WithoutTheSectionNobodyHasAPrefix()
    {
        var (config, errors) = ConfigYaml.Load(ConfigYaml.Valid);

        Assert.Empty(errors);
        Assert.All(config!.Agents, a => Assert.Null(config.PrivateCalls.PrefixOf(a)));
    }

    [Theory]
    [InlineData("  prefix: \"7a\"\n", "\"7a\"", "a private-call prefix must be 1 to 8 keypad keys (0-9, * or #), not '7a'")]
    [InlineData("  prefix: \"123456789\"\n", "\"123456789\"", "1 to 8 keypad keys")]
    [InlineData("  prefix: \"80\"\n", "\"80\"", "private-call prefix '80' clashes with campaign 'fr-sales''s dial prefix '801'")]
    [InlineData("  prefix: \"*7\"\n", "prefix: \"*7\"", "private-call prefix '*7' clashes with supervision code '*71'")]
    [InlineData("  teams:\n    paris: \"*60\"\n", "paris:", "team 'paris' has no agent")]
    [InlineData("  prefixes: \"*60\"\n", "prefixes:", "unknown key 'prefixes' in 'private_calls'")]
    public void AWrongPrefixIsAnErrorOnItsLine(string section, string at, string message) =>
        ConfigYaml.AssertError(WithPrivateCalls(section), at, message);

    [Fact]
    public void AnAgentsPrefixIsCheckedToo() =>
        ConfigYaml.AssertError(
            ConfigYaml.With("    role: supervisor\n", "    role: supervisor\n    private_prefix: \"8021\"\n"),
            "private_prefix",
            "private-call prefix '8021' clashes with campaign 'uk-sales''s dial prefix '802'");

    [Fact]
    public void ThePrintedConfigurationKeepsThePrefixes()
    {
        string yaml = WithPrivateCalls("  prefix: \"*60\"\n  teams:\n    lyon: \"#61\"\n");
        var (config, _) = ConfigYaml.Load(yaml);

        string printed = ConfigPrinter.Print(config!);

        Assert.Contains("private_calls:\n  prefix: \"*60\"\n  teams:\n    lyon: \"#61\"\n", printed, StringComparison.Ordinal);
    }
}
