using CallSwitch.Compliance.Access;

namespace CallSwitch.Configuration.Tests;

/// <summary>A campaign's 'access' section: who may hear, extract and download its recordings, and for which purposes.</summary>
public class AccessSectionTests
{
    private const string AfterRule = "      retention_days: 30\n";

    private static string WithAccess(string section) => ConfigYaml.With(AfterRule, AfterRule + "    access:\n" + section);

    [Fact]
    public void TheSectionIsReadIntoTheCampaignsAccessRules()
    {
        string yaml = WithAccess("""
                  listen: [supervisor, quality]
                  extract: [quality]
                  download: [dpo, manager]
                  agents_hear_own: true
                  purposes: [quality]

            """);

        var (config, errors) = ConfigYaml.Load(yaml);

        Assert.Empty(errors);
        CampaignAccess access = config!.FindCampaign("fr-sales")!.AccessRules;
        Assert.Equal("fr-sales", access.CampaignId);
        Assert.Equal(new HashSet<Role> { Role.Supervisor, Role.Quality }, access.ListenRoles);
        Assert.Equal(new HashSet<Role> { Role.Quality }, access.ExtractRoles);
        Assert.Equal(new HashSet<Role> { Role.Dpo, Role.Manager }, access.DownloadRoles);
        Assert.True(access.AgentsListen);
        Assert.Equal(["quality"], access.Purposes);
    }

    [Fact]
    public void WithoutTheSectionTheDefaultsAreLeastPrivilegeOverTheRulesPurposes()
    {
        var (config, errors) = ConfigYaml.Load(ConfigYaml.Valid);

        Assert.Empty(errors);
        CampaignAccess access = config!.FindCampaign("fr-sales")!.AccessRules;
        Assert.Equal(CampaignAccess.DefaultListenRoles, access.ListenRoles);
        Assert.Equal(CampaignAccess.DefaultExtractRoles, access.ExtractRoles);
        Assert.Equal(CampaignAccess.DefaultDownloadRoles, access.DownloadRoles);
        Assert.False(access.AgentsListen);
        Assert.Equal(["training", "quality"], access.Purposes);
        Assert.False(access.Hears(Role.Supervisor));
    }

    [Theory]
    [InlineData("listen: [agent]\n", "[agent]", "'listen' cannot list agent: agents hear only their own calls (agents_hear_own)")]
    [InlineData("listen: [dpo]\n", "[dpo]", "'listen' cannot list dpo: a dpo listens within a data-subject request")]
    [InlineData("extract: [admin]\n", "[admin]", "'extract' cannot list admin: an admin never hears recordings")]
    [InlineData("download: [admin]\n", "[admin]", "'download' cannot list admin")]
    [InlineData("listen: [root]\n", "[root]", "'root' is not a role (supervisor, quality, manager)")]
    [InlineData("listen: [quality, quality]\n", "[quality, quality]", "role 'quality' is listed twice in 'listen'")]
    [InlineData("purposes: [marketing]\n", "[marketing]", "listening purpose 'marketing' is not one of the campaign's recording purposes (training, quality)")]
    [InlineData("hear: [quality]\n", "hear:", "unknown key 'hear' in 'access'")]
    [InlineData("agents_hear_own: perhaps\n", "perhaps", "agents_hear_own")]
    public void AWrongEntryIsAnErrorOnItsLine(string entry, string at, string message)
    {
        string yaml = WithAccess("      " + entry);
        ConfigYaml.AssertError(yaml, at, message);
    }

    [Fact]
    public void AnErrorNamesItsLineAndColumn()
    {
        string yaml = WithAccess("      listen: [quality, admin]\n");

        var (config, errors) = ConfigYaml.Load(yaml);

        Assert.Null(config);
        ConfigError error = Assert.Single(errors);
        Assert.Equal(ConfigYaml.LineOf(yaml, "listen: [quality, admin]"), error.Line);
        string line = yaml.Split('\n')[error.Line - 1];
        Assert.Equal(line.IndexOf("admin", StringComparison.Ordinal) + 1, error.Column);
        Assert.StartsWith("test.yaml:", error.ToString(), StringComparison.Ordinal);
    }
}
