using CallSwitch.Configuration;

namespace CallSwitch.Configuration.Tests;

/// <summary>The 'supervision' section: feature codes, mode keys and notify_agent, checked with line and column.</summary>
public class SupervisionSectionTests
{
    private static string WithSupervision(string section) => ConfigYaml.Valid + "\n" + section;

    [Fact]
    public void NoSectionMeansTheDefaults()
    {
        var (config, errors) = ConfigYaml.Load(ConfigYaml.Valid);

        Assert.Empty(errors);
        SupervisionConfig s = config!.Supervision;
        Assert.Equal(("*71", "*72", "*73"), (s.ListenCode, s.WhisperCode, s.BargeCode));
        Assert.Equal(('1', '2', '3'), (s.ListenKey, s.WhisperKey, s.BargeKey));
        Assert.False(s.NotifyAgent);
    }

    [Fact]
    public void CodesKeysAndTheToneAreRead()
    {
        var (config, errors) = ConfigYaml.Load(WithSupervision("""
            supervision:
              codes:
                listen: "#51"
                barge: "#53"
              keys:
                whisper: "5"
              notify_agent: true
            """));

        Assert.Empty(errors);
        SupervisionConfig s = config!.Supervision;
        Assert.Equal(("#51", "*72", "#53"), (s.ListenCode, s.WhisperCode, s.BargeCode));
        Assert.Equal(('1', '5', '3'), (s.ListenKey, s.WhisperKey, s.BargeKey));
        Assert.True(s.NotifyAgent);
    }

    [Theory]
    [InlineData("codes:\n    listen: \"*7a\"", "\"*7a\"", "must be 1 to 8 keypad keys")]
    [InlineData("codes:\n    listen: \"*7\"", "listen: \"*7\"", "clash: no code may begin another")]
    [InlineData("keys:\n    barge: \"12\"", "\"12\"", "must be one key of the keypad")]
    [InlineData("keys:\n    barge: \"1\"", "\"1\"", "are both '1'")]
    [InlineData("codes:\n    spy: \"*74\"", "spy", "unknown key 'spy'")]
    [InlineData("notify: true", "notify", "unknown key 'notify'")]
    [InlineData("notify_agent: maybe", "maybe", "true or false")]
    public void AnErrorIsReportedOnItsLine(string body, string at, string message) =>
        ConfigYaml.AssertError(WithSupervision($"supervision:\n  {body}\n"), at, message);

    [Fact]
    public void ConfigShowPrintsTheEffectiveSectionAndItReadsBackTheSame()
    {
        var (config, _) = ConfigYaml.Load(WithSupervision("supervision:\n  codes:\n    whisper: \"*62\"\n  notify_agent: true\n"));

        string shown = ConfigPrinter.Print(config!);

        Assert.Contains("supervision:\n  codes:\n    listen: \"*71\"\n    whisper: \"*62\"\n    barge: \"*73\"\n  keys:\n    listen: \"1\"\n    whisper: \"2\"\n    barge: \"3\"\n  notify_agent: true\n", shown, StringComparison.Ordinal);
        var (again, errors) = ConfigYaml.Load(WithSupervision(shown[shown.IndexOf("supervision:", StringComparison.Ordinal)..]));
        Assert.Empty(errors);
        Assert.Equal(config!.Supervision, again!.Supervision);
    }

    [Fact]
    public void ACampaignRecordsABargingSupervisorUnlessItSaysOtherwise()
    {
        var (config, errors) = ConfigYaml.Load(ConfigYaml.Valid);
        Assert.Empty(errors);
        Assert.True(config!.FindCampaign("fr-sales")!.Recording.IncludeBarge);
        Assert.Contains("      include_barge: true\n", ConfigPrinter.Print(config), StringComparison.Ordinal);

        var (off, offErrors) = ConfigYaml.Load(ConfigYaml.With("record_announcement: false", "record_announcement: false\n      include_barge: false"));
        Assert.Empty(offErrors);
        Assert.False(off!.FindCampaign("fr-sales")!.Recording.IncludeBarge);
    }
}
