using CallSwitch.TestSupport;
using CallSwitch.Configuration;
using CallSwitch.Server.Cli;
using CallSwitch.Server.Configuration;

namespace CallSwitch.Server.Tests.Configuration;

/// <summary>The <c>config</c> commands, run in process.</summary>
public class ConfigCommandTests
{
    [Fact]
    public async Task CheckReportsEveryErrorWithPositionAndExitsWithTwo()
    {
        string path = ConfigFixture.WriteConfig(EmbeddedConfig.Text()
            .Replace("rtp_port_min: 20000", "rtp_port_min: 20001", StringComparison.Ordinal)
            .Replace("campaigns: [demo-fr, demo-en]\n    role: agent", "campaigns: [demo-de]\n    role: agent", StringComparison.Ordinal));
        var (output, error) = (new StringWriter(), new StringWriter());

        int code = await CommandLine.RunAsync(["config", "check", path], output, error);

        Assert.Equal(2, code);
        Assert.Matches($@"{Regex(path)}:\d+:\d+: 'rtp_port_min' must be even", error.ToString());
        Assert.Matches($@"{Regex(path)}:\d+:\d+: agent '1001' is given campaign 'demo-de', which is not defined", error.ToString());
        Assert.Contains("2 error(s)", error.ToString(), StringComparison.Ordinal);
        Assert.Empty(output.ToString());
    }

    [Fact]
    public async Task CheckSummarisesAValidFile()
    {
        string path = ConfigFixture.WriteConfig(EmbeddedConfig.Text());
        var (output, error) = (new StringWriter(), new StringWriter());

        int code = await CommandLine.RunAsync(["config", "check", path], output, error);

        Assert.Equal(0, code);
        Assert.Equal(
            $"{path}: OK (2 listener(s), 3 agent(s)); 1 trunk(s), 2 campaign(s) (2 recorded), 1 inbound number(s); country FR",
            output.ToString().TrimEnd());

        // The default demo-fr records every call for training: a warning with its reason, not an error.
        Assert.StartsWith(
            "warning: campaign demo-fr records every call (mode always) for training: the CNIL excludes systematic recording",
            error.ToString(),
            StringComparison.Ordinal);
        Assert.Single(error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task CheckWarnsOfSupervisorsHearingFullCallsDownloadsAndAgentsWithoutAPrivatePrefix()
    {
        string path = ConfigFixture.WriteConfig(EmbeddedConfig.Text()
            .Replace("listen: [quality, manager]", "listen: [supervisor, quality, manager]", StringComparison.Ordinal)
            .Replace("download: [dpo]", "download: [dpo, manager]", StringComparison.Ordinal)
            .Replace("private_calls:\n  prefix: \"*70\"\n", string.Empty, StringComparison.Ordinal));
        var (output, error) = (new StringWriter(), new StringWriter());

        int code = await CommandLine.RunAsync(["config", "check", path], output, error);

        Assert.Equal(0, code);
        string[] warnings = error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, warnings.Length);
        Assert.Contains("warning: campaign demo-fr lets supervisors hear full recordings: least privilege gives them anonymised training extracts, not the calls", warnings);
        Assert.Contains(warnings, w => w.StartsWith("warning: campaign demo-fr lets manager download plain files", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.StartsWith("warning: agent(s) 1001, 1002, 1003 have no private-call prefix", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ShowPrintsTheEffectiveConfigurationWithoutSecrets()
    {
        string path = ConfigFixture.WriteConfig(EmbeddedConfig.Text().Replace(
            "    # username: callswitch\n    # password_env: DEMO_TRUNK_PASSWORD\n",
            "    username: callswitch\n    password: \"Never-Print-Me\"\n",
            StringComparison.Ordinal));
        var (output, error) = (new StringWriter(), new StringWriter());

        int code = await CommandLine.RunAsync(["config", "show", path], output, error);

        Assert.True(code == 0, error.ToString());
        string shown = output.ToString();
        Assert.Contains("id: \"demo-trunk\"", shown, StringComparison.Ordinal);
        Assert.Contains("caller_id: +33123456789", shown, StringComparison.Ordinal);
        Assert.DoesNotContain("Never-Print-Me", shown, StringComparison.Ordinal);
        Assert.DoesNotContain("a5ea1788971560c767244159a8053208", shown, StringComparison.Ordinal);
    }

    private static string Regex(string text) => System.Text.RegularExpressions.Regex.Escape(text);
}
