using CallSwitch.Configuration;

namespace CallSwitch.Configuration.Tests;

/// <summary>The 'logging' section: numbers masked unless unmask_numbers says otherwise.</summary>
public class LoggingSectionTests
{
    [Fact]
    public void NumbersAreMaskedByDefaultAndUnmaskingIsReadAndPrinted()
    {
        var (defaults, errors) = ConfigYaml.Load(ConfigYaml.Valid);
        Assert.Empty(errors);
        Assert.False(defaults!.Logging.UnmaskNumbers);
        Assert.Contains("unmask_numbers: false", ConfigPrinter.Print(defaults), StringComparison.Ordinal);

        var (config, errors2) = ConfigYaml.Load(ConfigYaml.Valid + "\nlogging:\n  level: debug\n  unmask_numbers: true\n");

        Assert.Empty(errors2);
        Assert.True(config!.Logging.UnmaskNumbers);
        Assert.Equal(LogLevel.Debug, config.Logging.Level);
        Assert.Contains("unmask_numbers: true", ConfigPrinter.Print(config), StringComparison.Ordinal);
    }
}
