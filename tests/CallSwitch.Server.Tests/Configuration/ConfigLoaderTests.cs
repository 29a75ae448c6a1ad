using CallSwitch.Server.Configuration;
using CallSwitch.Sip.Transport;

namespace CallSwitch.Server.Tests.Configuration;

public class ConfigLoaderTests
{
    [Fact]
    public void EmbeddedDefaultsLoadWithoutErrors()
    {
        var (config, errors) = ConfigLoader.Load(ConfigLoader.EmbeddedText(), ConfigLoader.EmbeddedName);

        Assert.Empty(errors);
        Assert.NotNull(config);
        Assert.Equal("callswitch", config.Realm);
        Assert.Contains(config.Listen, l => l.Protocol == SipProtocol.Udp && l.Port == 5060);
        Assert.Contains(config.Listen, l => l.Protocol == SipProtocol.Tcp && l.Port == 5060);
        Assert.Equal(["1001", "1002", "1003"], config.Agents.Select(a => a.Extension));
    }

    [Fact]
    public void ShippedExampleFileEqualsEmbeddedDefaults()
    {
        string root = FindRepositoryRoot();
        Assert.Equal(File.ReadAllText(Path.Combine(root, "config", "callswitch.yaml")), ConfigLoader.EmbeddedText());
    }

    [Fact]
    public void EverySampleConfigurationIsValid()
    {
        string[] samples = Directory.GetFiles(Path.Combine(FindRepositoryRoot(), "samples"), "*.yaml");
        Assert.NotEmpty(samples);
        foreach (string sample in samples)
        {
            var (config, errors) = ConfigLoader.LoadFile(sample);
            Assert.True(config is not null, string.Join('\n', errors));
        }
    }

    [Fact]
    public void ReportsEveryErrorWithLineAndColumn()
    {
        const string yaml = """
            switch:
              realm: callswitch
              listen:
                - protocol: sctp
                  address: 999.1.1.1
                  port: 70000
              limtis:
                max_header_count: 5
            agents:
              - extension: "1001"
                ha1_md5: nothex
              - display_name: No Extension
                ha1_md5: a5ea1788971560c767244159a8053208
            """;

        var (config, errors) = ConfigLoader.Load(yaml, "bad.yaml");

        Assert.Null(config);
        Assert.Contains(errors, e => e.Line == 4 && e.Column == 17 && e.Message.Contains("protocol", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Line == 5 && e.Message.Contains("IPv4 or IPv6", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Line == 6 && e.Message.Contains("between 0 and 65535", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Line == 7 && e.Column == 3 && e.Message.Contains("unknown key 'limtis'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Line == 11 && e.Message.Contains("32 hexadecimal", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Line == 12 && e.Message.Contains("extension", StringComparison.Ordinal));
        Assert.All(errors, e => Assert.Equal("bad.yaml", e.File));
    }

    [Fact]
    public void RefusesInvalidYamlWithPosition()
    {
        var (config, errors) = ConfigLoader.Load("switch:\n  realm: [unclosed\n", "broken.yaml");

        Assert.Null(config);
        var error = Assert.Single(errors);
        Assert.True(error.Line >= 2, error.ToString());
        Assert.Contains("not valid YAML", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingFileIsAnError()
    {
        var (config, errors) = ConfigLoader.LoadFile("/nonexistent/callswitch.yaml");
        Assert.Null(config);
        Assert.Contains("cannot read", Assert.Single(errors).Message, StringComparison.Ordinal);
    }

    internal static string FindRepositoryRoot()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "CallSwitch.sln")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        return dir ?? throw new InvalidOperationException("Repository root (CallSwitch.sln) not found above " + AppContext.BaseDirectory);
    }
}
