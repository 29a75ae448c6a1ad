using CallSwitch.TestSupport;
using CallSwitch.Configuration;

namespace CallSwitch.Configuration.Tests;

public class EmbeddedConfigTests
{
    [Fact]
    public void EmbeddedDefaultsLoadWithoutErrors()
    {
        var (config, errors) = ConfigFixture.LoadEmbedded();

        Assert.Empty(errors);
        Assert.NotNull(config);
        Assert.Equal("callswitch", config.Realm);
        Assert.Contains(config.Listen, l => l.Protocol == TransportProtocol.Udp && l.Port == 5060);
        Assert.Contains(config.Listen, l => l.Protocol == TransportProtocol.Tcp && l.Port == 5060);
        Assert.Equal(["1001", "1002", "1003"], config.Agents.Select(a => a.Extension));
    }

    [Fact]
    public void EmbeddedDefaultsHoldTheDemoTrunkAndAFrenchAndAnEnglishCampaign()
    {
        var (config, _) = ConfigFixture.LoadEmbedded();

        TrunkConfig trunk = Assert.Single(config!.Trunks);
        Assert.Equal(("demo-trunk", "127.0.0.1", 5080, TransportProtocol.Udp), (trunk.Id, trunk.Host, trunk.Port, trunk.Transport));
        Assert.Equal(["fr", "en"], config.Campaigns.Select(c => c.Language));
        Assert.All(config.Campaigns, c => Assert.Equal("demo-trunk", c.Trunk));
        Assert.Equal(Path.Combine(ConfigFixture.Folder, "announcements", "gdpr-notice-fr.wav"), config.FindCampaign("demo-fr")!.Announcements["fr"]);
        Assert.Equal(Path.Combine(ConfigFixture.Folder, "announcements", "gdpr-notice-en.wav"), config.FindCampaign("demo-en")!.Announcements["en"]);
        Assert.All(config.Agents, a => Assert.NotEmpty(a.Campaigns));
    }

    [Fact]
    public void ShippedExampleFileEqualsEmbeddedDefaults()
    {
        string root = RepositoryRoot.Find();
        Assert.Equal(File.ReadAllText(Path.Combine(root, "config", "callswitch.yaml")), EmbeddedConfig.Text());
    }

    [Fact]
    public void EmbeddedDefaultsResolveAgainstTheConfigFolderOfTheCurrentDirectory()
    {
        Assert.Equal(Path.Combine(Directory.GetCurrentDirectory(), "config"), EmbeddedConfig.DefaultBaseDirectory());
    }

    [Fact]
    public void EmbeddedDefaultsNeedTheirAnnouncementFiles()
    {
        // No announcements in an empty folder: the switch must refuse, saying which file is missing.
        var (config, errors) = EmbeddedConfig.Load(Directory.CreateTempSubdirectory("callswitch-empty-").FullName);

        Assert.Null(config);
        Assert.Contains(errors, e => e.File == EmbeddedConfig.Name && e.Message.Contains("gdpr-notice-fr.wav' does not exist", StringComparison.Ordinal));
    }
}
