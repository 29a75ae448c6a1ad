using CallSwitch.Calls.Agents;
using CallSwitch.Calls.Registration;
using CallSwitch.Sip.Parsing;

namespace CallSwitch.Server.Configuration;

/// <summary>The whole configuration of one switch, as loaded and checked from YAML. Immutable.</summary>
public sealed record SwitchConfig
{
    /// <summary>The digest realm agents authenticate in (RFC 3261 §22.1).</summary>
    public string Realm { get; init; } = "callswitch";

    /// <summary>The Server / User-Agent header value.</summary>
    public string UserAgent { get; init; } = "CallSwitch";

    /// <summary>The SIP listeners.</summary>
    public IReadOnlyList<ListenConfig> Listen { get; init; } = [];

    /// <summary>Parser limits for every message received.</summary>
    public SipParserLimits Limits { get; init; } = SipParserLimits.Default;

    /// <summary>Authentication and brute-force settings.</summary>
    public AuthConfig Auth { get; init; } = new();

    /// <summary>Registrar limits.</summary>
    public RegistrarSettings Registrar { get; init; } = new();

    /// <summary>Logging.</summary>
    public LoggingConfig Logging { get; init; } = new();

    /// <summary>The agents.</summary>
    public IReadOnlyList<AgentAccount> Agents { get; init; } = [];
}
