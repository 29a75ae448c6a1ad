using CallSwitch.Configuration;

namespace CallSwitch.Configuration.Tests;

public class ConfigLoaderTests
{
    [Fact]
    public void EverySampleConfigurationIsValid()
    {
        // Samples refer to ../config/announcements: give them a copy of that tree with real
        // WAV files, so that the check does not depend on what is in the working copy.
        string root = TestFiles.NewFolder();
        string config = Path.Combine(root, "config");
        Directory.CreateDirectory(config);
        TestFiles.WriteWav(Path.Combine(config, "announcements", "gdpr-notice-fr.wav"));
        TestFiles.WriteWav(Path.Combine(config, "announcements", "gdpr-notice-en.wav"));
        string samples = Path.Combine(root, "samples");
        Directory.CreateDirectory(samples);

        string[] files = Directory.GetFiles(Path.Combine(TestFiles.FindRepositoryRoot(), "samples"), "*.yaml");
        Assert.True(files.Length >= 2, "expected the samples folder to hold several configurations");
        foreach (string sample in files)
        {
            string copy = Path.Combine(samples, Path.GetFileName(sample));
            File.Copy(sample, copy);
            var (loaded, errors) = ConfigLoader.LoadFile(copy, new ConfigLoadOptions { GetEnvironmentVariable = name => "secret-of-" + name });
            Assert.True(loaded is not null, sample + ":\n" + string.Join('\n', errors));
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
        Assert.Equal(errors.OrderBy(e => e.Line).ThenBy(e => e.Column), errors);
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

    [Fact]
    public void RelativePathsResolveAgainstTheFilesFolder()
    {
        string folder = TestFiles.NewConfigFolder();
        string file = Path.Combine(folder, "switch.yaml");
        File.WriteAllText(file, ConfigYaml.Valid);

        var (config, errors) = ConfigLoader.LoadFile(file);

        Assert.Empty(errors);
        Assert.Equal(Path.Combine(folder, "announcements", "gdpr-notice-fr.wav"), config!.FindCampaign("fr-sales")!.Announcements["fr"]);
        Assert.Equal(Path.Combine(folder, "spool"), config.Paths.Spool);
        Assert.Equal(Path.GetFullPath(Path.Combine(folder, "..", "data")), config.Paths.Data);
    }
}
