using CallSwitch.Configuration;

namespace CallSwitch.Configuration.Tests;

/// <summary>The 'retention' section: the sidecar's interval and how long access bundles are kept.</summary>
public class RetentionSectionTests
{
    [Fact]
    public void WithoutTheSectionTheSidecarRunsEveryFifteenMinutes()
    {
        var (config, errors) = ConfigYaml.Load(ConfigYaml.Valid);

        Assert.Empty(errors);
        Assert.Equal(TimeSpan.FromMinutes(15), config!.Retention.Interval);
        Assert.Equal(30, config.Retention.AccessBundleDays);
    }

    [Fact]
    public void AccessBundlesAreKeptTheDaysGiven()
    {
        var (config, errors) = ConfigYaml.Load(ConfigYaml.Valid + "\nretention:\n  access_bundle_days: 7\n");

        Assert.Empty(errors);
        Assert.Equal(7, config!.Retention.AccessBundleDays);
        Assert.Equal(RetentionConfig.DefaultInterval, config.Retention.Interval);
        Assert.Contains("retention:\n  interval: 15m\n  access_bundle_days: 7\n", ConfigPrinter.Print(config), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("91")]
    [InlineData("7d")]
    [InlineData("-3")]
    public void BundleDaysOutOfRangeAreAnErrorAtTheirLine(string text)
    {
        string yaml = ConfigYaml.Valid + $"\nretention:\n  access_bundle_days: {text}\n";

        ConfigYaml.AssertError(yaml, $"access_bundle_days: {text}", "'access_bundle_days' must be a whole number of days from 1 to 90");
    }

    [Theory]
    [InlineData("90s", 90)]
    [InlineData("15m", 900)]
    [InlineData("1h", 3600)]
    public void TheIntervalIsADurationWithItsUnit(string text, int seconds)
    {
        var (config, errors) = ConfigYaml.Load(ConfigYaml.Valid + $"\nretention:\n  interval: {text}\n");

        Assert.Empty(errors);
        Assert.Equal(TimeSpan.FromSeconds(seconds), config!.Retention.Interval);
        Assert.Contains($"retention:\n  interval: {text}\n", ConfigPrinter.Print(config), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("15")]
    [InlineData("5s")]
    [InlineData("2d")]
    [InlineData("25h")]
    public void AnIntervalWithoutAUnitOrOutOfRangeIsAnErrorAtItsLine(string text)
    {
        string yaml = ConfigYaml.Valid + $"\nretention:\n  interval: {text}\n";

        ConfigYaml.AssertError(yaml, $"interval: {text}", "'interval' must be a duration from 10s to 24h");
    }
}
