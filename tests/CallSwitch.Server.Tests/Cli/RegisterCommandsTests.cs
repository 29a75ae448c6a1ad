using System.Text.Json;
using CallSwitch.Configuration;
using CallSwitch.Server.Cli;
using CallSwitch.TestSupport;

namespace CallSwitch.Server.Tests.Cli;

/// <summary><c>callswitch register</c> on the shipped configuration.</summary>
public sealed class RegisterCommandsTests : IDisposable
{
    private readonly string _config = ConfigFixture.WriteConfig(EmbeddedConfig.Text());

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_config)!, recursive: true);

    [Fact]
    public async Task The_register_describes_each_recorded_campaign_in_markdown_and_json()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        Assert.Equal(0, await CommandLine.RunAsync(["register", "--config", _config], output, error));
        Assert.Contains("(`demo-fr`)", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("- **Purposes**: training; appointment validation", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("- **Retention**: 180 days", output.ToString(), StringComparison.Ordinal);

        string file = Path.Combine(Path.GetDirectoryName(_config)!, "register.json");
        Assert.Equal(0, await CommandLine.RunAsync(["register", "--json", "--out", file, "--config", _config], output, error));
        using JsonDocument json = JsonDocument.Parse(await File.ReadAllTextAsync(file));
        Assert.Equal(["demo-fr", "demo-en"], json.RootElement.EnumerateArray().Select(r => r.GetProperty("campaign_id").GetString()));
        Assert.Equal("consent (Art. 6(1)(a))", json.RootElement[1].GetProperty("legal_basis").GetString());
    }
}
