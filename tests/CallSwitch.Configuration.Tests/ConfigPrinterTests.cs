using CallSwitch.Configuration;

namespace CallSwitch.Configuration.Tests;

public class ConfigPrinterTests
{
    [Fact]
    public void PrintsTheEffectiveConfigurationWithSecretsMasked()
    {
        string folder = TestFiles.NewConfigFolder();
        var (config, errors) = ConfigYaml.Load(ConfigYaml.Valid, folder: folder);
        Assert.Empty(errors);

        string shown = ConfigPrinter.Print(config!);

        Assert.Contains("advertised_address: \"192.0.2.10\"", shown, StringComparison.Ordinal);
        Assert.Contains("caller_id: +33123456700", shown, StringComparison.Ordinal);
        Assert.Contains("did: \"+33123456789\"", shown, StringComparison.Ordinal);
        Assert.Contains($"fr: \"{Path.Combine(folder, "announcements", "gdpr-notice-fr.wav")}\"", shown, StringComparison.Ordinal);
        Assert.Contains("mode: sample", shown, StringComparison.Ordinal);
        Assert.Contains("legal_basis: legitimate-interest", shown, StringComparison.Ordinal);
        Assert.Contains("codecs: [g722, pcma]", shown, StringComparison.Ordinal);
        Assert.DoesNotContain(ConfigYaml.TrunkPassword, shown, StringComparison.Ordinal);
        Assert.DoesNotContain("a5ea1788971560c767244159a8053208", shown, StringComparison.Ordinal);
        Assert.Contains($"ha1_md5: \"{Secret.Mask}\"", shown, StringComparison.Ordinal);
    }

    [Fact]
    public void PrintedConfigurationIsValidYamlWithTheSameStructure()
    {
        var (config, _) = ConfigYaml.Load(ConfigYaml.Valid);
        var stream = new YamlDotNet.RepresentationModel.YamlStream();
        stream.Load(new StringReader(ConfigPrinter.Print(config!)));

        var root = (YamlDotNet.RepresentationModel.YamlMappingNode)stream.Documents[0].RootNode;
        Assert.Equal(["switch", "logging", "retention", "trunks", "campaigns", "agents", "inbound", "supervision"], root.Children.Keys.Select(k => k.ToString()));
        var dtmf = root["campaigns"][0]["recording"]["dtmf"];
        Assert.Equal("*7", dtmf["pause"].ToString());
    }
}
