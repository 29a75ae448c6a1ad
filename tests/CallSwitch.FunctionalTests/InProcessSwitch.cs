using System.Net;
using CallSwitch.Calls.Recording;
using CallSwitch.Calls.Routing;
using CallSwitch.Compliance.Rules;
using CallSwitch.Configuration;
using CallSwitch.Media.Announcements;
using CallSwitch.Media.Relay;
using CallSwitch.Recording.Encryption;
using CallSwitch.Recording.Vault;
using CallSwitch.Server.Hosting;
using CallSwitch.Server.Logging;
using CallSwitch.Sip.Sdp;
using CallSwitch.Sip.Transport;
using CallSwitch.Sip.Transport.Loopback;
using CallSwitch.TestSupport;

namespace CallSwitch.FunctionalTests;

/// <summary>
/// The whole switch, composed by the production <see cref="SwitchHostBuilder"/>, with its SIP
/// channel on an in-memory <see cref="LoopbackNetwork"/> instead of a socket: the demo agents of
/// the embedded configuration, one trunk (the test's carrier phone) and one campaign whose
/// notice is a short tone. RTP goes over real loopback sockets (the relay's and the test's).
/// Recordings go to a temporary spool and store, deleted with the switch.
/// </summary>
internal sealed class InProcessSwitch : IAsyncDisposable
{
    public const string Number = "+33612345678";

    /// <summary>
    /// The test collection of classes running whole calls: one after the other, since the tone
    /// measurements of one call suffered from another's load on a 2-core machine.
    /// </summary>
    public const string Collection = "in-process calls";

    /// <summary>The notice's length: short, so that a whole call takes well under a second.</summary>
    public static readonly TimeSpan NoticeLength = TimeSpan.FromMilliseconds(120);

    public static readonly IPEndPoint SwitchEndPoint = new(IPAddress.Parse("10.0.0.10"), 5060);
    public static readonly IPEndPoint CarrierEndPoint = new(IPAddress.Parse("10.0.0.20"), 5060);

    private static readonly CallSwitch.Compliance.Numbers.PhoneNumberNormalizer Normalizer = new("FR");
    private readonly StringWriter _log;
    private readonly string _folder;

    private InProcessSwitch(SwitchHost host, LoopbackNetwork network, RecordingKeyManager keys, StringWriter log, string folder)
    {
        Host = host;
        Network = network;
        Keys = keys;
        _log = log;
        _folder = folder;
    }

    public SwitchHost Host { get; }

    public LoopbackNetwork Network { get; }

    /// <summary>The folder of the metadata store (readable again once the switch has stopped).</summary>
    public string DataPath => Path.Combine(_folder, "data");

    /// <summary>The recordings' keys (in memory, a fresh master key).</summary>
    public RecordingKeyManager Keys { get; }

    /// <summary>Everything the switch logged so far.</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>
    /// Starts a switch whose campaign "spring" records by <paramref name="recording"/> (null: not
    /// recorded); <paramref name="privatePrefixes"/> gives agents their private-call prefix;
    /// <paramref name="logging"/> the log's settings (debug level, numbers masked, by default).
    /// </summary>
    public static async Task<InProcessSwitch> StartAsync(RecordingRule? recording, IReadOnlyDictionary<string, string>? privatePrefixes = null, LoggingConfig? logging = null)
    {
        var (embedded, errors) = ConfigFixture.LoadEmbedded();
        Assert.Empty(errors);
        SwitchConfig config = embedded! with { Api = null, Logging = logging ?? new LoggingConfig { Level = CallSwitch.Configuration.LogLevel.Debug } };
        string folder = Directory.CreateTempSubdirectory("cs-functional-").FullName;
        var keys = new RecordingKeyManager(new InMemoryKeyStore(), MasterKey.Generate());
        var network = new LoopbackNetwork();
        var log = new StringWriter();
        var trunk = new Trunk
        {
            Id = "carrier",
            Host = CarrierEndPoint.Address.ToString(),
            EndPoint = CarrierEndPoint,
            CallerId = "+33100000000",
            Codecs = [AudioCodec.Pcmu, AudioCodec.TelephoneEvent],
            MaxChannels = 4,
        };
        Announcement notice = Announcement.Load(TestWav.WriteTone(Path.Combine(folder, "notice.wav"), 440, NoticeLength));
        var campaign = new Campaign { Id = "spring", TrunkId = "carrier", Announcement = notice, Recording = recording };
        var table = new RoutingTable
        {
            Trunks = new Dictionary<string, Trunk> { ["carrier"] = trunk },
            Campaigns = new Dictionary<string, Campaign> { ["spring"] = campaign },
            AgentCampaigns = new Dictionary<string, IReadOnlyList<string>> { ["1001"] = ["spring"] },
            Extensions = new HashSet<string> { "1001", "1002", "1003" },
            PrivatePrefixes = privatePrefixes ?? new Dictionary<string, string>(),
        };
        var calls = new CallSetup
        {
            Relay = new MediaRelayOptions { BindAddress = IPAddress.Loopback, MinPort = 20000, MaxPort = 29999 },
            Routing = () => table,
            Normalize = Normalizer.TryNormalize,
            // As RecordingVault.Open does for the switch: the spool exists before the first call.
            Vault = new RecordingVault(Directory.CreateDirectory(Path.Combine(folder, "spool")).FullName, keys),
            DataPath = Path.Combine(folder, "data"),
        };
        Serilog.ILogger logger = LogSetup.Configure(config.Logging).WriteTo.Sink(new WriterSink(LogSetup.Formatter(config.Logging), log)).CreateLogger();
        SwitchHost host = await SwitchHost.StartAsync(config, logger, new SwitchHostOptions
        {
            Calls = calls,
            Channels = _ => [network.CreateChannel(SwitchEndPoint, SipProtocol.Udp)],
        });
        return new InProcessSwitch(host, network, keys, log, folder);
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        Network.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
