using CallSwitch.Compliance.Access;
using CallSwitch.Compliance.Storage;
using CallSwitch.Configuration;
using CallSwitch.Server.Configuration;

namespace CallSwitch.Server.Hosting;

/// <summary>
/// The running switch's side of the one authorisation service: the <see cref="Authorizer"/> over
/// the campaigns in force (replaced on every configuration reload), the guard that audits
/// denials (when the switch has a store), and the users (<see cref="UserDirectory"/>, loaded at
/// start by <see cref="AccessService"/>). The HTTP API, supervision and, next, the web console
/// decide through it.
/// </summary>
/// <remarks>Thread-safe: every member reads a snapshot.</remarks>
public sealed class SwitchAccess
{
    private readonly Func<SwitchConfig> _config;
    private volatile UserDirectory? _users;

    /// <summary>Creates the service over the configuration in force.</summary>
    /// <param name="config">The configuration in force (read at each call: a reload applies at once).</param>
    /// <param name="audit">Where denials are written; null without a store (denials are then only logged by the caller).</param>
    /// <param name="time">The clock of audit entries.</param>
    public SwitchAccess(Func<SwitchConfig> config, IAuditLog? audit, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(time);
        _config = config;
        Authorizer = new Authorizer(SwitchConfigMapper.ToCampaignAccess(config()));
        Guard = audit is null ? null : new AccessGuard(Authorizer, audit, time);
    }

    /// <summary>The one authorisation service (deciding only; nothing is audited through it).</summary>
    public Authorizer Authorizer { get; }

    /// <summary>Decides and audits denials; null when the switch has no store.</summary>
    public AccessGuard? Guard { get; }

    /// <summary>The users, once loaded at start; null before, and always without a store.</summary>
    public UserDirectory? Users => _users;

    /// <summary>Takes the campaigns of a reloaded configuration (decisions after this use them).</summary>
    public void Update(SwitchConfig config) => Authorizer.Update(SwitchConfigMapper.ToCampaignAccess(config));

    /// <summary>A live call or a recording as the service sees it: its campaign, its agent and the agent's team (from the configuration in force).</summary>
    public AccessResource CallOf(string? campaign, string? agent, Guid? recording = null) => new()
    {
        CampaignId = campaign,
        AgentExtension = agent,
        Team = agent is null ? null : _config().FindAgent(agent)?.Team,
        RecordingId = recording,
    };

    /// <summary>Decides, auditing a denial when there is a store (see <see cref="Guard"/>).</summary>
    public Task<AccessDecision> CheckAsync(Principal? principal, AccessAction action, AccessResource resource, CancellationToken cancellationToken = default) =>
        Guard is { } guard
            ? guard.CheckAsync(principal, action, resource, null, cancellationToken)
            : Task.FromResult(Authorizer.Decide(principal, action, resource));

    internal void Attach(UserDirectory? users) => _users = users;
}
