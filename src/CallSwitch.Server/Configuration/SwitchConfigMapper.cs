using CallSwitch.Calls.Agents;
using CallSwitch.Calls.Registration;
using CallSwitch.Configuration;
using CallSwitch.Sip.Auth;
using CallSwitch.Sip.Parsing;
using CallSwitch.Sip.Transport;
using Serilog.Events;

namespace CallSwitch.Server.Configuration;

/// <summary>
/// Maps the configuration's own types (owned by Compliance, which knows no SIP) to the types of
/// the SIP stack, the switch and the logger. The one place where the two vocabularies meet.
/// </summary>
public static class SwitchConfigMapper
{
    /// <summary>The SIP transport of a configured protocol.</summary>
    public static SipProtocol ToSipProtocol(TransportProtocol protocol) => protocol switch
    {
        TransportProtocol.Udp => SipProtocol.Udp,
        TransportProtocol.Tcp => SipProtocol.Tcp,
        TransportProtocol.Tls => SipProtocol.Tls,
        _ => throw new ArgumentOutOfRangeException(nameof(protocol), protocol, null),
    };

    /// <summary>The parser limits; the head limit is the parser's default, never above the message limit.</summary>
    public static SipParserLimits ToParserLimits(ParserLimitsConfig limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        return new SipParserLimits
        {
            MaxMessageBytes = limits.MaxMessageBytes,
            MaxHeadBytes = Math.Min(SipParserLimits.Default.MaxHeadBytes, limits.MaxMessageBytes),
            MaxHeaderCount = limits.MaxHeaderCount,
            MaxHeaderLineBytes = limits.MaxHeaderLineBytes,
        };
    }

    /// <summary>The digest algorithms challenged with, in order.</summary>
    public static IReadOnlyList<DigestAlgorithm> ToDigestAlgorithms(IReadOnlyList<ChallengeAlgorithm> algorithms)
    {
        ArgumentNullException.ThrowIfNull(algorithms);
        return [.. algorithms.Select(a => a switch
        {
            ChallengeAlgorithm.Md5 => DigestAlgorithm.Md5,
            ChallengeAlgorithm.Sha256 => DigestAlgorithm.Sha256,
            _ => throw new ArgumentOutOfRangeException(nameof(algorithms), a, null),
        })];
    }

    /// <summary>The registrar limits.</summary>
    public static RegistrarSettings ToRegistrarSettings(RegistrarConfig registrar)
    {
        ArgumentNullException.ThrowIfNull(registrar);
        return new RegistrarSettings
        {
            DefaultExpires = registrar.DefaultExpires,
            MinExpires = registrar.MinExpires,
            MaxExpires = registrar.MaxExpires,
            MaxContactsPerUser = registrar.MaxContacts,
        };
    }

    /// <summary>The agent directory the authenticator and the switch look agents up in.</summary>
    public static AgentDirectory ToAgentDirectory(IReadOnlyList<AgentConfig> agents)
    {
        ArgumentNullException.ThrowIfNull(agents);
        return new AgentDirectory(agents.Select(a => new AgentAccount(a.Extension, a.DisplayName, a.Ha1Md5, a.Ha1Sha256)
        {
            Team = a.Team,
            Campaigns = a.Campaigns,
            Role = a.Role,
        }));
    }

    /// <summary>The Serilog level of a configured level.</summary>
    public static LogEventLevel ToLogEventLevel(LogLevel level) => level switch
    {
        LogLevel.Verbose => LogEventLevel.Verbose,
        LogLevel.Debug => LogEventLevel.Debug,
        LogLevel.Information => LogEventLevel.Information,
        LogLevel.Warning => LogEventLevel.Warning,
        LogLevel.Error => LogEventLevel.Error,
        LogLevel.Fatal => LogEventLevel.Fatal,
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, null),
    };

    /// <summary>
    /// The campaigns' access rules as the authorisation service reads them: the one place a
    /// campaign's configuration becomes its <see cref="CallSwitch.Compliance.Access.CampaignAccess"/>
    /// (the host at start and on reload, and the CLI).
    /// </summary>
    public static IReadOnlyList<CallSwitch.Compliance.Access.CampaignAccess> ToCampaignAccess(SwitchConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.Campaigns.Select(c => c.AccessRules).ToArray();
    }
}
