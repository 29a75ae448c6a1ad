using CallSwitch.Configuration;

namespace CallSwitch.Configuration.Tests;

/// <summary>The 'auth' section's algorithm choices.</summary>
public class AuthSectionTests
{
    [Fact]
    public void BaresipIsTheDefaultMd5OnlyClientAndTheListCanBeReplaced()
    {
        var (defaults, errors) = ConfigYaml.Load(ConfigYaml.Valid);
        Assert.Empty(errors);
        Assert.Equal(["baresip"], defaults!.Auth.Md5OnlyUserAgents);
        Assert.Equal([ChallengeAlgorithm.Md5, ChallengeAlgorithm.Sha256], defaults.Auth.Algorithms);

        string yaml = ConfigYaml.Valid.Replace("switch:\n", "switch:\n  auth:\n    algorithms: [sha-256, md5]\n    md5_only_user_agents: [baresip, \"OldPhone 1.\"]\n", StringComparison.Ordinal);
        var (config, errors2) = ConfigYaml.Load(yaml);

        Assert.Empty(errors2);
        Assert.Equal(["baresip", "OldPhone 1."], config!.Auth.Md5OnlyUserAgents);
        Assert.Equal([ChallengeAlgorithm.Sha256, ChallengeAlgorithm.Md5], config.Auth.Algorithms);
        Assert.NotEqual(defaults.Auth, config.Auth);
        Assert.Equal(config.Auth, config.Auth with { });
        Assert.Contains("md5_only_user_agents: [\"baresip\", \"OldPhone 1.\"]", ConfigPrinter.Print(config), StringComparison.Ordinal);
    }

    [Fact]
    public void AnEmptyEntryIsRefusedOnItsLine()
    {
        string yaml = ConfigYaml.Valid.Replace("switch:\n", "switch:\n  auth:\n    md5_only_user_agents: [baresip, \"\"]\n", StringComparison.Ordinal);
        ConfigYaml.AssertError(yaml, "md5_only_user_agents", "single non-empty value");
    }
}
