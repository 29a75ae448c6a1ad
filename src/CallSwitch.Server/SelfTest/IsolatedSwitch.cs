using System.Net;
using CallSwitch.Calls.Routing;
using CallSwitch.Compliance.Rules;
using CallSwitch.Configuration;
using CallSwitch.Recording.Encryption;
using CallSwitch.Recording.Vault;
using CallSwitch.Server.Configuration;
using CallSwitch.Server.Hosting;
using CallSwitch.Sip.Auth;
using CallSwitch.Sip.Transport;
using CallSwitch.Sip.Transport.Loopback;
using Serilog;

namespace CallSwitch.Server.SelfTest;

/// <summary>
/// A whole switch for one campaign's test calls, composed by the production host
/// (<see cref="SwitchHost"/>) but cut off from everything real: SIP only on an in-memory network
/// (no socket, so no real trunk can be reached), RTP on loopback, its own store and spool in a
/// temporary folder, a fresh master key that never leaves memory, no HTTP API nor console, no
/// configuration watching. The campaign's rule, notice and access rules are the configuration's;
/// its trunk leads to the built-in answering party, its agents are the self-test's own.
/// </summary>
/// <remarks>Dispose to stop the switch and delete the folder.</remarks>
internal sealed class IsolatedSwitch : IAsyncDisposable
{
    /// <summary>Where the switch listens on the in-memory network (TEST-NET-1, RFC 5737: nothing real).</summary>
    public static readonly IPEndPoint SwitchEndPoint = new(IPAddress.Parse("192.0.2.10"), 5060);

    /// <summary>Where every trunk leads: the built-in answering party.</summary>
    public static readonly IPEndPoint CarrierEndPoint = new(IPAddress.Parse("192.0.2.20"), 5060);

    private readonly string _folder;

    private IsolatedSwitch(SwitchHost host, LoopbackNetwork network, RecordingVault vault, SwitchConfig config, Campaign campaign, IReadOnlyList<DigestAccountHashes> agents, SwitchWarnings warnings, string folder)
    {
        Host = host;
        Network = network;
        Vault = vault;
        Config = config;
        Campaign = campaign;
        Agents = agents;
        Warnings = warnings;
        _folder = folder;
    }

    /// <summary>The running switch.</summary>
    public SwitchHost Host { get; }

    /// <summary>The in-memory SIP network the switch and the built-in parties share.</summary>
    public LoopbackNetwork Network { get; }

    /// <summary>The switch's own vault (spool in the temporary folder, master key in memory).</summary>
    public RecordingVault Vault { get; }

    /// <summary>The configuration the switch runs: the campaign as configured, the rest isolated.</summary>
    public SwitchConfig Config { get; }

    /// <summary>The campaign as the switch routes it (its notice loaded).</summary>
    public Campaign Campaign { get; }

    /// <summary>The self-test's agents' credentials (random passwords), each with the campaign as its only one.</summary>
    public IReadOnlyList<DigestAccountHashes> Agents { get; }

    /// <summary>What the switch logged at warning level and above.</summary>
    public SwitchWarnings Warnings { get; }

    /// <summary>Where the built-in agent number <paramref name="index"/> sits on the in-memory network.</summary>
    public static IPEndPoint AgentEndPoint(int index) => new(IPAddress.Parse("192.0.2." + (100 + index).ToString(System.Globalization.CultureInfo.InvariantCulture)), 5060);

    /// <summary>Builds and starts the switch for <paramref name="campaign"/> of <paramref name="production"/> with <paramref name="agents"/> agents of its own.</summary>
    /// <param name="production">The configuration as loaded; only read.</param>
    /// <param name="campaign">The campaign under test.</param>
    /// <param name="agents">How many built-in agents will call.</param>
    /// <param name="policy">The recording policy the switch decides with (the test build's fault seam); <see cref="RecordingPolicy"/> when null.</param>
    /// <exception cref="Media.Announcements.AnnouncementLoadException">The campaign's notice cannot be read.</exception>
    public static async Task<IsolatedSwitch> StartAsync(SwitchConfig production, CampaignConfig campaign, int agents, IRecordingPolicy? policy)
    {
        string folder = Directory.CreateTempSubdirectory("callswitch-selftest-").FullName;
        var network = new LoopbackNetwork();
        RecordingVault? vault = null;
        try
        {
            var accounts = new List<DigestAccountHashes>();
            var agentConfigs = new List<AgentConfig>();
            for (int i = 0; i < agents; i++)
            {
                string extension = "99" + (i + 1).ToString("00", System.Globalization.CultureInfo.InvariantCulture);
                var hashes = DigestAccountHashes.FromPassword(extension, production.Realm, Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)));
                accounts.Add(hashes);
                agentConfigs.Add(new AgentConfig
                {
                    Extension = extension,
                    DisplayName = "Self-test agent " + (i + 1),
                    Ha1Md5 = hashes.Md5Ha1,
                    Ha1Sha256 = hashes.Sha256Ha1,
                    Campaigns = [campaign.Id],
                });
            }

            SwitchConfig config = production with
            {
                Listen = [],
                Paths = new PathsConfig { Data = Path.Combine(folder, "data"), Spool = Path.Combine(folder, "spool") },
                Media = production.Media with { RtpAddress = IPAddress.Loopback, AdvertisedAddress = IPAddress.Loopback },
                Agents = agentConfigs,
                Trunks = [.. production.Trunks.Select(Isolate)],
                Campaigns = [campaign],
                Inbound = [],
                Api = null,
                Console = null,
                Logging = new LoggingConfig { Level = CallSwitch.Configuration.LogLevel.Information },
            };
            RoutingTable routing = CallSetupBuilder.BuildRouting(config);
            vault = new RecordingVault(Directory.CreateDirectory(config.Paths.Spool).FullName, new RecordingKeyManager(new InMemoryKeyStore(), MasterKey.Generate()));
            CallSetup calls = CallSetupBuilder.Build(config, () => routing, vault) with { RecordingPolicy = policy };
            var warnings = new SwitchWarnings();
            ILogger log = new LoggerConfiguration().MinimumLevel.Information().WriteTo.Sink(warnings).CreateLogger();
            SwitchHost host = await SwitchHost.StartAsync(config, log, new SwitchHostOptions
            {
                Calls = calls,
                Channels = _ => [network.CreateChannel(SwitchEndPoint, SipProtocol.Udp)],
            }).ConfigureAwait(false);
            return new IsolatedSwitch(host, network, vault, config, routing.Campaigns[campaign.Id], accounts, warnings, folder);
        }
        catch
        {
            vault?.Dispose();
            network.Dispose();
            Directory.Delete(folder, recursive: true);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Host.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            Vault.Dispose();
            Network.Dispose();
            Directory.Delete(_folder, recursive: true);
        }
    }

    /// <summary>A trunk of the configuration as the isolated switch sees it: same codecs, caller id and channels, but at the built-in answering party, without credentials.</summary>
    private static TrunkConfig Isolate(TrunkConfig trunk) => trunk with
    {
        Host = CarrierEndPoint.Address.ToString(),
        Port = CarrierEndPoint.Port,
        Transport = TransportProtocol.Udp,
        Username = null,
        Password = null,
        PasswordEnv = null,
        FromDomain = null,
    };
}
