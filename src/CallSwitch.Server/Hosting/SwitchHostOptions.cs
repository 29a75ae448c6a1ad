using CallSwitch.Sip.Transport;

namespace CallSwitch.Server.Hosting;

/// <summary>
/// What a switch runs with besides its configuration. Production leaves everything unset; tests
/// supply a clock, a call setup (routes, keys, spool) or in-memory SIP channels, and the rest of
/// the switch is built exactly as in production.
/// </summary>
public sealed record SwitchHostOptions
{
    /// <summary>The clock of timers, recordings and the store; the system clock when null.</summary>
    public TimeProvider? Time { get; init; }

    /// <summary>Relay, routing and recording setup; built from the configuration when null.</summary>
    public CallSetup? Calls { get; init; }

    /// <summary>
    /// The SIP channels, given the configuration; the configuration's listeners (UDP and TCP
    /// sockets, <see cref="SipChannels.FromConfig"/>) when null. The switch owns and closes them.
    /// </summary>
    public Func<CallSwitch.Configuration.SwitchConfig, IReadOnlyList<ISipChannel>>? Channels { get; init; }

    /// <summary>The configuration file, watched and reloaded on change and on SIGHUP; null: no reload.</summary>
    public string? ConfigPath { get; init; }
}
