using System.Net;
using CallSwitch.Configuration;

namespace CallSwitch.Configuration.Tests;

/// <summary>The 'api' section: clients with the SHA-256 of their tokens, checked with line and column.</summary>
public class ApiSectionTests
{
    private const string Hash1 = "466f237d8309e95a41545f05fd681e6f5edf6f383a38a484b6336a2c2181a8c6";
    private const string Hash2 = "a75e572783b9e125bdff43ab5364363cbf71c33ca208b34a805ec7b8b4b949e9";

    private static string WithApi(string api) => ConfigYaml.Valid + "\n" + api;

    [Fact]
    public void NoSectionMeansNoApi()
    {
        var (config, errors) = ConfigYaml.Load(ConfigYaml.Valid);

        Assert.Empty(errors);
        Assert.Null(config!.Api);
    }

    [Fact]
    public void ClientsAreReadWithTheirHashesAndScopes()
    {
        string yaml = WithApi($"""
            api:
              address: "::1"
              port: 0
              clients:
                - id: crm-paris
                  token_sha256: {Hash1.ToUpperInvariant()}
                  agents: ["1001"]
                - id: crm-all
                  token_sha256: {Hash2}
            """);

        var (config, errors) = ConfigYaml.Load(yaml);

        Assert.Empty(errors);
        ApiConfig api = config!.Api!;
        Assert.Equal((IPAddress.IPv6Loopback, 0), (api.Address, api.Port));
        Assert.Equal(["crm-paris", "crm-all"], api.Clients.Select(c => c.Id));
        Assert.Equal(Convert.FromHexString(Hash1), api.Clients[0].TokenSha256);
        Assert.Equal(["1001"], api.Clients[0].Agents);
        Assert.Empty(api.Clients[1].Agents);
    }

    [Fact]
    public void DefaultsAreLoopbackOn8089()
    {
        var (config, errors) = ConfigYaml.Load(WithApi($"api:\n  clients:\n    - id: crm\n      token_sha256: {Hash1}\n"));

        Assert.Empty(errors);
        Assert.Equal((IPAddress.Loopback, 8089), (config!.Api!.Address, config.Api.Port));
    }

    [Theory]
    [InlineData("token_sha256: abc", "token_sha256", "64 hex digits")]
    [InlineData("token_sha256: " + Hash1 + "\n      agents: [\"9999\"]", "\"9999\"", "agent '9999', which is not defined")]
    [InlineData("token_sha256: " + Hash1 + "\n      scope: all", "scope", "unknown key 'scope'")]
    [InlineData("agents: [\"1001\"]", "- id: crm", "token_sha256")]
    public void AClientErrorIsReportedOnItsLine(string rest, string at, string message) =>
        ConfigYaml.AssertError(WithApi($"api:\n  clients:\n    - id: crm\n      {rest}\n"), at, message);

    [Fact]
    public void ClientsNeedDistinctIdsAndTokens()
    {
        ConfigYaml.AssertError(
            WithApi($"api:\n  clients:\n    - id: crm\n      token_sha256: {Hash1}\n    - id: crm\n      token_sha256: {Hash2}\n"),
            "- id: crm\n      token_sha256: " + Hash2,
            "given twice");
        ConfigYaml.AssertError(
            WithApi($"api:\n  clients:\n    - id: crm\n      token_sha256: {Hash1}\n    - id: other\n      token_sha256: {Hash1.ToUpperInvariant()}\n"),
            Hash1.ToUpperInvariant(),
            "same token as another client");
    }

    [Fact]
    public void AnApiWithoutClientsIsRefused() =>
        ConfigYaml.AssertError(WithApi("api:\n  port: 8089\n"), "port: 8089", "at least one client");

    [Fact]
    public void ConfigShowMasksTheHashes()
    {
        var (config, _) = ConfigYaml.Load(WithApi($"api:\n  clients:\n    - id: crm\n      token_sha256: {Hash1}\n"));

        string shown = ConfigPrinter.Print(config!);

        Assert.Contains("api:\n  address: \"127.0.0.1\"\n  port: 8089\n  clients:\n    - id: \"crm\"\n", shown, StringComparison.Ordinal);
        Assert.DoesNotContain(Hash1, shown, StringComparison.Ordinal);
    }
}
