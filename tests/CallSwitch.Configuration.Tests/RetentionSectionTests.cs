using CallSwitch.Configuration;

namespace CallSwitch.Configuration.Tests;

/// <summary>The 'retention' section: the sidecar's interval.</summary>
public class RetentionSectionTests
{
    [Fact]
    public void WithoutTheSectionTheSidecarRunsEveryFifteenMinutes()
    {
        var (config, errors) = ConfigYaml.Load(ConfigYaml.Valid);

        Assert.Empty(errors);
        Assert.Equal(TimeSpan.FromMinutes(15), config!.Retention.Interval);
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
