using CallSwitch.Calls.Control;
using CallSwitch.Compliance.Access;
using CallSwitch.Compliance.Storage;
using CallSwitch.Configuration;
using CallSwitch.Recording.Vault;
using CallSwitch.Server.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace CallSwitch.Server.WebConsole;

/// <summary>
/// What the console works with, taken from the switch's host: the store (users, audit,
/// recordings, holds, indicators, annotations), the call-control façade, the vault, and the one
/// authorisation service with its guard. Resolved on first use: the host builds the store at start.
/// </summary>
/// <remarks>Thread-safe.</remarks>
public sealed class ConsoleServices
{
    private readonly IServiceProvider _services;
    private readonly Lazy<Task<UserDirectory>> _users;
    private readonly Lock _gate = new();
    private Authorizer? _ownAuthorizer;
    private SwitchConfig? _authorizedFor;

    /// <summary>Resolves from the host's services.</summary>
    public ConsoleServices(IServiceProvider services)
    {
        _services = services;
        _users = new Lazy<Task<UserDirectory>>(() => UserDirectory.LoadAsync(Store, Store, Time));
    }

    /// <summary>The metadata store; the console needs one (a data folder).</summary>
    /// <exception cref="InvalidOperationException">The switch has no data folder.</exception>
    public IMetadataStore Store => (_services.GetService<CallArchive>() ?? throw new InvalidOperationException(
        "The web console needs the metadata store (switch.paths.data): its users, audit log and recordings live there.")).Store;

    /// <summary>The annotations (the SQLite store keeps them).</summary>
    public IAnnotationStore Annotations => Store as IAnnotationStore ?? throw new InvalidOperationException("This store keeps no annotations.");

    /// <summary>The live calls.</summary>
    public ICallControl Calls => _services.GetRequiredService<ICallControl>();

    /// <summary>The switch's clock.</summary>
    public TimeProvider Time => _services.GetRequiredService<TimeProvider>();

    /// <summary>The configuration in force.</summary>
    public SwitchConfig Config => _services.GetRequiredService<RunningConfig>().Current;

    /// <summary>The recordings' vault (decrypting reader); null when recording is not set up.</summary>
    public RecordingVault? Vault => _services.GetRequiredService<CallSetup>().Vault;

    /// <summary>
    /// The one authorisation service: the host's when it registers one, else one over the running
    /// configuration's campaigns, brought up to date after each reload.
    /// </summary>
    public IAuthorizer Authorizer
    {
        get
        {
            if (_services.GetService<IAuthorizer>() is { } registered)
            {
                return registered;
            }

            SwitchConfig config = Config;
            lock (_gate)
            {
                if (_ownAuthorizer is null)
                {
                    _ownAuthorizer = new Authorizer(Campaigns(config));
                }
                else if (!ReferenceEquals(config, _authorizedFor))
                {
                    _ownAuthorizer.Update(Campaigns(config));
                }

                _authorizedFor = config;
                return _ownAuthorizer;
            }
        }
    }

    /// <summary>Decides and audits denials.</summary>
    public AccessGuard Guard => new(Authorizer, Store, Time);

    /// <summary>The audited access point to recordings, with the guard and the agents' teams.</summary>
    public RecordingAccess Recordings => new(Store, Store, Time, Guard, TeamOf);

    /// <summary>The users, loaded once and following the store's changes.</summary>
    public Task<UserDirectory> UsersAsync() => _users.Value;

    /// <summary>The team of an agent's extension in the running configuration.</summary>
    public string? TeamOf(string agent) => Config.FindAgent(agent)?.Team;

    /// <summary>What an action on a call or recording of this campaign and agent is on.</summary>
    public AccessResource ResourceOf(string? campaign, string agent, Guid? recording = null) =>
        new() { CampaignId = campaign, Team = TeamOf(agent), AgentExtension = agent, RecordingId = recording };

    private static IEnumerable<CampaignAccess> Campaigns(SwitchConfig config) =>
        config.Campaigns.Select(c => CampaignAccess.FromRule(c.Recording));
}
