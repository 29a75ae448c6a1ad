using CallSwitch.Calls.Control;
using CallSwitch.Compliance.Access;
using CallSwitch.Compliance.Storage;
using CallSwitch.Configuration;
using CallSwitch.Recording.Vault;
using CallSwitch.Server.Extracts;
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

    /// <summary>Anonymised training extracts (the CLI's <c>recordings extract</c>); null when recording is not set up.</summary>
    public TrainingExtracts? Extracts => _services.GetService<TrainingExtracts>();

    /// <summary>The switch's data folder (the store, the receipt-signing key, access bundles).</summary>
    /// <exception cref="InvalidOperationException">The switch has no data folder.</exception>
    public string DataPath => _services.GetRequiredService<CallSetup>().DataPath ?? throw new InvalidOperationException(
        "The web console needs the switch's data folder (switch.paths.data).");

    /// <summary>The switch's access: the one authorisation service (kept up to date at each reload) and its users.</summary>
    public SwitchAccess Access => _services.GetRequiredService<SwitchAccess>();

    /// <summary>The one authorisation service, the campaigns' <c>access:</c> grants included.</summary>
    public IAuthorizer Authorizer => Access.Authorizer;

    /// <summary>Decides and audits denials (the host's guard, over the console's store).</summary>
    public AccessGuard Guard => Access.Guard ?? throw new InvalidOperationException(
        "The web console needs the metadata store (switch.paths.data): its users, audit log and recordings live there.");

    /// <summary>The audited access point to recordings, with the guard and the agents' teams.</summary>
    public RecordingAccess Recordings => new(Store, Store, Time, Guard, TeamOf);

    /// <summary>
    /// The users: the host's directory, loaded at start and read again periodically (a user
    /// disabled from the command line is refused here too); loaded on first use if the host has none yet.
    /// </summary>
    public Task<UserDirectory> UsersAsync() => Access.Users is { } users ? Task.FromResult(users) : _users.Value;

    /// <summary>The team of an agent's extension in the running configuration.</summary>
    public string? TeamOf(string agent) => Config.FindAgent(agent)?.Team;

    /// <summary>The extensions of a team's agents in the running configuration.</summary>
    public IReadOnlySet<string> AgentsOf(string team)
    {
        SwitchConfig config = Config;
        return config.Agents.Where(a => string.Equals(a.Team, team, StringComparison.Ordinal)).Select(a => a.Extension).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>What an action on a call or recording of this campaign and agent is on.</summary>
    public AccessResource ResourceOf(string? campaign, string agent, Guid? recording = null) =>
        new() { CampaignId = campaign, Team = TeamOf(agent), AgentExtension = agent, RecordingId = recording };
}
