using System.Net;
using CallSwitch.Compliance.Access;
using CallSwitch.Compliance.Storage;
using CallSwitch.Compliance.Storage.Sqlite;
using CallSwitch.Configuration;
using CallSwitch.Server.Hosting;
using CallSwitch.Server.Tests.Logging;
using CallSwitch.Sip.Transport;
using CallSwitch.Sip.Transport.Loopback;
using CallSwitch.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CallSwitch.Server.Tests.Hosting;

/// <summary>
/// The running switch's access wiring: the users loaded at start and read again on the clock
/// (a user added by another process reaches the switch), the audit chain's head published to the
/// log every hour and at stop, and the authorisation service taking a reloaded configuration's
/// campaigns.
/// </summary>
public sealed class SwitchAccessTests : IAsyncDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);
    private readonly string _folder = Directory.CreateTempSubdirectory("cs-access-").FullName;
    private readonly FakeTimeProvider _time = new(Start);
    private readonly StringWriter _log = new();

    private string Data => Path.Combine(_folder, "data");

    public async ValueTask DisposeAsync()
    {
        await Task.Yield();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task UsersAreLoadedAtStartAndReadAgainEachPeriodAndTheChainHeadIsLoggedHourlyAndAtStop()
    {
        await using SqliteMetadataStore store = SqliteMetadataStore.Open(new SqliteMetadataStoreOptions { DataDirectory = Data, Time = _time });
        Assert.True(await store.AddUserAsync(new NewUser("qa", PasswordHasher.Hash("a long password"), null, [new RoleGrant(Role.Quality, AccessScope.All)]), "test"));
        SwitchConfig config = Embedded();
        var access = new SwitchAccess(() => config, store, _time);
        var service = new AccessService(access, store, _time, SwitchLog.Create(config.Logging, _log));

        await service.StartAsync(CancellationToken.None);
        Assert.NotNull(access.Users!.Find("qa"));

        // Another process (callswitch users add) writes through its own connection: this store's change event does not fire.
        await using (SqliteMetadataStore other = SqliteMetadataStore.Open(new SqliteMetadataStoreOptions { DataDirectory = Data }))
        {
            Assert.True(await other.AddUserAsync(new NewUser("bob", PasswordHasher.Hash("another password"), "1002", [new RoleGrant(Role.Agent, AccessScope.All)]), "test"));
        }

        Assert.Null(access.Users.Find("bob"));
        _time.Advance(AccessService.UserReloadPeriod);
        Assert.Equal("1002", (await EventuallyAsync(() => access.Users.FindByExtension("1002")))!.Extension);
        Assert.DoesNotContain("Audit anchor", Log, StringComparison.Ordinal);

        _time.Advance(AccessService.AnchorPeriod - AccessService.UserReloadPeriod);
        AuditAnchor head = (await store.AuditHeadAsync())!;
        await EventuallyAsync(() => Log.Contains("Audit anchor", StringComparison.Ordinal) ? Log : null);
        Assert.Single(AnchorLines());
        Assert.Contains(head.ToString(), AnchorLines()[0], StringComparison.Ordinal);

        // No new entry: the next hour publishes nothing; after one, stopping publishes the new head.
        _time.Advance(AccessService.AnchorPeriod);
        await store.AppendAuditAsync(new AuditEvent(_time.GetUtcNow(), "qa", AuditAction.Search, null, "cli", "all"));
        await service.StopAsync(CancellationToken.None);
        AuditAnchor last = (await store.AuditHeadAsync())!;
        Assert.Equal(2, AnchorLines().Length);
        Assert.True(last.Sequence > head.Sequence);
        Assert.Contains(last.ToString(), AnchorLines()[1], StringComparison.Ordinal);
        Assert.Null(access.Users);
    }

    [Fact]
    public async Task TheHostsAuthorisationServiceTakesTheReloadedCampaignsAndItsUsersAreLoaded()
    {
        await using (SqliteMetadataStore store = SqliteMetadataStore.Open(new SqliteMetadataStoreOptions { DataDirectory = Data }))
        {
            Assert.True(await store.AddUserAsync(new NewUser("qa", PasswordHasher.Hash("a long password"), null, [new RoleGrant(Role.Quality, AccessScope.All)]), "test"));
        }

        SwitchConfig config = Embedded();
        using var network = new LoopbackNetwork();
        await using SwitchHost host = await SwitchHost.StartAsync(config, SwitchLog.Create(config.Logging, _log), new SwitchHostOptions
        {
            Calls = new CallSetup { DataPath = Data },
            Channels = _ => [network.CreateChannel(new IPEndPoint(IPAddress.Parse("10.0.0.10"), 5060), SipProtocol.Udp)],
        });
        SwitchAccess access = host.Services.GetRequiredService<SwitchAccess>();
        Principal qa = access.Users!.Find("qa")!;
        var spring = new AccessResource { CampaignId = "spring", RecordingId = Guid.NewGuid() };
        var training = new AccessPurpose("training");
        Assert.Contains("campaign spring is not configured", access.Authorizer.Decide(qa, AccessAction.Stream, spring, training).Reason, StringComparison.Ordinal);

        CampaignConfig demo = config.Campaigns[0];
        host.Apply(config with { Campaigns = [demo with { Id = "spring", Recording = demo.Recording with { CampaignId = "spring" }, Access = demo.AccessRules with { CampaignId = "spring" } }] });

        Assert.True(access.Authorizer.Decide(qa, AccessAction.Stream, spring, training).Allowed);
        Assert.Equal("paris", access.CallOf("spring", "1001").Team);

        // Without a vault (no recording set up) there is nothing to extract from: no extract service.
        Assert.Null(host.Services.GetService<CallSwitch.Server.Extracts.TrainingExtracts>());
    }

    private string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    private string[] AnchorLines() => Log.Split('\n').Where(l => l.Contains("Audit anchor", StringComparison.Ordinal)).ToArray();

    private static SwitchConfig Embedded()
    {
        var (embedded, errors) = ConfigFixture.LoadEmbedded();
        Assert.Empty(errors);
        return embedded! with { Api = null };
    }

    /// <summary>Waits (5 s at most) for a timer's asynchronous work to show.</summary>
    private static async Task<T?> EventuallyAsync<T>(Func<T?> probe)
        where T : class
    {
        for (int i = 0; i < 500; i++)
        {
            if (probe() is { } found)
            {
                return found;
            }

            await Task.Delay(10);
        }

        Assert.Fail("the timer's work did not show within 5 s");
        return null;
    }
}
