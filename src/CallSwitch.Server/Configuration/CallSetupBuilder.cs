using System.Net;
using CallSwitch.Calls.Routing;
using CallSwitch.Configuration;
using CallSwitch.Compliance.Numbers;
using CallSwitch.Media.Announcements;
using CallSwitch.Media.Relay;
using CallSwitch.Recording.Vault;
using CallSwitch.Server.Hosting;
using CallSwitch.Sip.Sdp;
using CallSwitch.Sip.Transport;
using Serilog;

namespace CallSwitch.Server.Configuration;

/// <summary>
/// Turns the checked configuration into what calls run with: the relay settings, the E.164
/// normaliser and the routing table (trunks resolved to addresses, announcements loaded and
/// converted once). Loading a notice that NAudio cannot read fails here, at start or reload,
/// never during a call.
/// </summary>
public static class CallSetupBuilder
{
    /// <summary>
    /// The call setup of a configuration; <paramref name="routing"/> supplies the table in force
    /// (swapped on reload). Recordings: the vault of the configuration's data and spool paths
    /// (<see cref="RecordingVault.Open"/>).
    /// </summary>
    public static CallSetup Build(SwitchConfig config, Func<RoutingTable> routing, ILogger log)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(log);
        return Build(config, routing, RecordingVault.Open(config.Paths.Data, config.Paths.Spool, log));
    }

    /// <summary>
    /// The call setup of a configuration with the given <paramref name="vault"/> (the self-test's
    /// own, under a fresh master key), never one opened from the configuration's paths.
    /// </summary>
    public static CallSetup Build(SwitchConfig config, Func<RoutingTable> routing, RecordingVault vault)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(vault);
        var normalizer = new PhoneNumberNormalizer(config.Country);
        return new CallSetup
        {
            Relay = new MediaRelayOptions
            {
                BindAddress = config.Media.RtpAddress,
                MinPort = config.Media.RtpPortMin,
                MaxPort = config.Media.RtpPortMax,
                SocketModel = OperatingSystem.IsLinux() ? RelaySocketModel.Epoll : RelaySocketModel.PollingThreads,
            },
            MediaAddress = config.Media.AdvertisedAddress,
            RtpTimeout = TimeSpan.FromSeconds(config.Media.RtpTimeoutSeconds),
            Routing = routing,
            Normalize = normalizer.TryNormalize,
            Vault = vault,
            DataPath = config.Paths.Data,
        };
    }

    /// <summary>
    /// The routing table of a configuration. Announcements already loaded in <paramref name="previous"/>
    /// from an unchanged file are reused.
    /// </summary>
    public static RoutingTable BuildRouting(SwitchConfig config, RoutingTable? previous = null)
    {
        var announcements = new Dictionary<string, Announcement>(StringComparer.Ordinal);
        foreach (Campaign old in previous?.Campaigns.Values ?? [])
        {
            if (old.Announcement is { } loaded)
            {
                announcements.TryAdd(loaded.Source, loaded);
            }
        }

        var trunks = config.Trunks.ToDictionary(t => t.Id, ToTrunk, StringComparer.Ordinal);
        var campaigns = config.Campaigns.ToDictionary(c => c.Id, c => ToCampaign(c, announcements), StringComparer.Ordinal);
        var agentCampaigns = config.Agents.ToDictionary(a => a.Extension, a => (IReadOnlyList<string>)a.Campaigns.ToArray(), StringComparer.Ordinal);
        var teams = config.Agents.Where(a => a.Team is not null)
            .GroupBy(a => a.Team!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(a => a.Extension).ToArray(), StringComparer.Ordinal);
        var inbound = config.Inbound.ToDictionary(r => r.Did, r => new InboundRoute(r.Did, r.Agent, r.Team, r.Campaign), StringComparer.Ordinal);
        return new RoutingTable
        {
            Trunks = trunks,
            Campaigns = campaigns,
            AgentCampaigns = agentCampaigns,
            Teams = teams,
            Inbound = inbound,
            Extensions = config.Agents.Select(a => a.Extension).ToHashSet(StringComparer.Ordinal),
            PrivatePrefixes = config.Agents
                .Select(a => (a.Extension, Prefix: config.PrivateCalls.PrefixOf(a)))
                .Where(a => a.Prefix is not null)
                .ToDictionary(a => a.Extension, a => a.Prefix!, StringComparer.Ordinal),
        };
    }

    private static Trunk ToTrunk(TrunkConfig trunk)
    {
        IPAddress address = IPAddress.TryParse(trunk.Host, out var literal)
            ? literal
            : Dns.GetHostAddresses(trunk.Host).FirstOrDefault() ?? throw new InvalidOperationException($"Trunk '{trunk.Id}': host '{trunk.Host}' does not resolve.");
        return new Trunk
        {
            Id = trunk.Id,
            Host = trunk.Host,
            EndPoint = new IPEndPoint(address, trunk.Port),
            Protocol = trunk.Transport == TransportProtocol.Tcp ? SipProtocol.Tcp : SipProtocol.Udp,
            Username = trunk.Username,
            Password = trunk.Password?.Reveal(),
            CallerId = trunk.CallerId,
            FromDomain = trunk.FromDomain,
            Codecs = [.. trunk.Codecs.Select(ToCodec), AudioCodec.TelephoneEvent],
            MaxChannels = trunk.MaxChannels,
        };
    }

    private static Campaign ToCampaign(CampaignConfig campaign, Dictionary<string, Announcement> loaded)
    {
        Announcement? announcement = null;
        if (campaign.Announcements.TryGetValue(campaign.Language, out string? path) || campaign.Announcements.Count > 0 && (path = campaign.Announcements.Values.First()) is not null)
        {
            string full = Path.GetFullPath(path);
            if (!loaded.TryGetValue(full, out announcement) || !SameFile(announcement, full))
            {
                announcement = Announcement.Load(full);
                loaded[full] = announcement;
            }
        }

        return new Campaign
        {
            Id = campaign.Id,
            TrunkId = campaign.Trunk,
            CallerId = campaign.CallerId,
            Announcement = announcement,
            AgentHearsAnnouncement = campaign.AgentHearsAnnouncement,
            DialPrefix = campaign.DialPrefix,
            AllowHeaderOverride = campaign.AllowHeaderOverride,
            Recording = campaign.Recording,
        };
    }

    private static bool SameFile(Announcement announcement, string path) =>
        string.Equals(announcement.Sha256, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path))), StringComparison.OrdinalIgnoreCase);

    private static AudioCodec ToCodec(CodecName codec) => codec switch
    {
        CodecName.Pcmu => AudioCodec.Pcmu,
        CodecName.Pcma => AudioCodec.Pcma,
        CodecName.G722 => AudioCodec.G722,
        _ => AudioCodec.Opus,
    };
}
