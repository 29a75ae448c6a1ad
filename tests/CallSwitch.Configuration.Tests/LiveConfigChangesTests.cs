using CallSwitch.TestSupport;
using System.Net;
using CallSwitch.Configuration;

namespace CallSwitch.Configuration.Tests;

/// <summary>What a reload changes at once and what waits for a restart.</summary>
public class LiveConfigChangesTests
{
    private static readonly ApiClientConfig Crm = new() { Id = "crm", TokenSha256 = new byte[32] };
    private static readonly ApiClientConfig Lyon = new() { Id = "lyon", TokenSha256 = Enumerable.Repeat((byte)1, 32).ToArray(), Agents = ["1001"] };

    private static SwitchConfig Running(ApiConfig? api)
    {
        var (config, errors) = ConfigFixture.LoadEmbedded();
        Assert.Empty(errors);
        return config! with { Api = api };
    }

    [Fact]
    public void ApiClientsSwapLiveWhileItsAddressWaitsForARestart()
    {
        SwitchConfig running = Running(new ApiConfig { Port = 8089, Clients = [Crm] });
        SwitchConfig loaded = running with { Api = new ApiConfig { Address = IPAddress.IPv6Loopback, Port = 9000, Clients = [Crm, Lyon] } };

        Assert.Equal(["api.address/port"], LiveConfigChanges.RestartRequired(running, loaded));
        ApiConfig merged = LiveConfigChanges.Merge(running, loaded).Api!;
        Assert.Equal((IPAddress.Loopback, 8089), (merged.Address, merged.Port));
        Assert.Equal([Crm, Lyon], merged.Clients);
    }

    [Fact]
    public void RemovingTheApiSectionLeavesTheApiWithNoClientAndAddingOneWaitsForARestart()
    {
        SwitchConfig running = Running(new ApiConfig { Port = 8089, Clients = [Crm] });

        SwitchConfig removed = LiveConfigChanges.Merge(running, running with { Api = null });
        Assert.Empty(removed.Api!.Clients);
        Assert.Equal(["api.address/port"], LiveConfigChanges.RestartRequired(running, running with { Api = null }));

        SwitchConfig none = Running(null);
        Assert.Null(LiveConfigChanges.Merge(none, running).Api);
        Assert.Equal(["api.address/port"], LiveConfigChanges.RestartRequired(none, running));
        Assert.Empty(LiveConfigChanges.RestartRequired(running, running with { Api = running.Api! with { Clients = [Lyon] } }));
    }

    [Fact]
    public void SupervisionCodesWaitForARestart()
    {
        SwitchConfig running = Running(null);
        SwitchConfig loaded = running with { Supervision = new SupervisionConfig { ListenCode = "#71" } };

        Assert.Equal(["supervision"], LiveConfigChanges.RestartRequired(running, loaded));
        Assert.Equal("*71", LiveConfigChanges.Merge(running, loaded).Supervision.ListenCode);
    }
}
