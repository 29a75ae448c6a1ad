using System.Net;
using CallSwitch.Configuration;

namespace CallSwitch.Configuration.Tests;

/// <summary>The 'console' section: off without it, loopback by default, errors with their line, printed back, fixed until a restart.</summary>
public class ConsoleSectionTests
{
    private static string WithConsole(string section) => ConfigYaml.Valid + "\n" + section;

    [Fact]
    public void NoSectionMeansNoConsole()
    {
        var (config, errors) = ConfigYaml.Load(ConfigYaml.Valid);

        Assert.Empty(errors);
        Assert.Null(config!.Console);
    }

    [Fact]
    public void AnEmptySectionListensOnLoopbackWithTheDefaults()
    {
        var (config, errors) = ConfigYaml.Load(WithConsole("console:\n  port: 8090\n"));

        Assert.Empty(errors);
        ConsoleConfig c = config!.Console!;
        Assert.Equal(IPAddress.Loopback, c.Address);
        Assert.Equal((8090, 30, 5, 15), (c.Port, c.SessionMinutes, c.MaxFailures, c.LockoutMinutes));
        Assert.Empty(c.TrustedProxies);
    }

    [Fact]
    public void EveryKeyIsReadAndPrintedBack()
    {
        var (config, errors) = ConfigYaml.Load(WithConsole("""
            console:
              address: 0.0.0.0
              port: 9443
              session_minutes: 10
              max_failures: 3
              lockout_minutes: 60
              trusted_proxies: [127.0.0.1, "::1"]
            """));

        Assert.Empty(errors);
        ConsoleConfig c = config!.Console!;
        Assert.Equal((IPAddress.Any, 9443, 10, 3, 60), (c.Address, c.Port, c.SessionMinutes, c.MaxFailures, c.LockoutMinutes));
        Assert.Equal([IPAddress.Loopback, IPAddress.IPv6Loopback], c.TrustedProxies);
        string printed = ConfigPrinter.Print(config);
        Assert.Contains("console:\n  address: \"0.0.0.0\"\n  port: 9443\n  session_minutes: 10\n  max_failures: 3\n  lockout_minutes: 60\n  trusted_proxies: [\"127.0.0.1\", \"::1\"]", printed, StringComparison.Ordinal);
    }

    [Fact]
    public void ABadValueIsReportedAtItsLine()
    {
        string yaml = WithConsole("console:\n  session_minutes: 0\n  trusted_proxies: [proxy.example]\n  colour: blue\n");
        ConfigYaml.AssertError(yaml, "session_minutes: 0", "'session_minutes' must be between 1 and 1440");
        ConfigYaml.AssertError(yaml, "[proxy.example]", "'trusted_proxies' lists IP addresses, not 'proxy.example'");
        ConfigYaml.AssertError(yaml, "colour: blue", "colour");
    }

    [Fact]
    public void TheConsoleWaitsForARestart()
    {
        var (running, _) = ConfigYaml.Load(WithConsole("console:\n  port: 8090\n"));
        SwitchConfig loaded = running! with { Console = new ConsoleConfig { Port = 9000 } };

        Assert.Contains("console", LiveConfigChanges.RestartRequired(running!, loaded));
        Assert.Equal(8090, LiveConfigChanges.Merge(running!, loaded).Console!.Port);
    }
}
