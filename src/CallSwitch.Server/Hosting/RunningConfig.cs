using CallSwitch.Calls.Auth;
using CallSwitch.Configuration;
using CallSwitch.Media.Announcements;
using CallSwitch.Server.Configuration;
using Serilog;

namespace CallSwitch.Server.Hosting;

/// <summary>
/// The configuration in force and what a reload swaps: the routing table, the agent directory
/// and the snapshot the API's clients are read from. Thread-safe.
/// </summary>
internal sealed class RunningConfig
{
    private readonly RoutingHolder _routing;
    private readonly AgentCredentialStore _credentials;
    private readonly ILogger _log;
    private SwitchConfig _config;

    public RunningConfig(SwitchConfig config, RoutingHolder routing, AgentCredentialStore credentials, ILogger log)
    {
        _config = config;
        _routing = routing;
        _credentials = credentials;
        _log = log;
    }

    /// <summary>Told of each configuration put in force by <see cref="Apply"/> (the authorisation service takes its campaigns).</summary>
    public event Action<SwitchConfig>? Applied;

    public SwitchConfig Current => Volatile.Read(ref _config);

    /// <summary>
    /// Swaps in a reloaded configuration: the agent directory (new registrations and
    /// authentications use it at once; calls in progress are not touched) and the snapshot that
    /// campaign, trunk and inbound lookups read. Sections fixed at start must already hold their
    /// running values (<see cref="LiveConfigChanges.Merge"/>).
    /// </summary>
    public void Apply(SwitchConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (_routing.Current is { } current)
        {
            try
            {
                // Calls in progress keep the plan they started with; new calls use the new table.
                _routing.Current = CallSetupBuilder.BuildRouting(config, current);
            }
            catch (Exception e) when (e is IOException or InvalidOperationException or System.Net.Sockets.SocketException or AnnouncementLoadException)
            {
                _log.Error("Reloaded configuration not applied: {Error}; the running configuration stays", e.Message);
                return;
            }
        }

        _credentials.Directory = SwitchConfigMapper.ToAgentDirectory(config.Agents);
        Volatile.Write(ref _config, config);
        Applied?.Invoke(config);
    }
}
