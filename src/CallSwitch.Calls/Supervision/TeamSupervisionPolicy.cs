using CallSwitch.Calls.Agents;
using CallSwitch.Compliance.Access;
using CallSwitch.Configuration;
using CallSwitch.Media.Mixing;

namespace CallSwitch.Calls.Supervision;

/// <summary>
/// Supervision decided by the one authorisation service: the supervisor's SIP account is turned
/// into a principal, and the <see cref="IAuthorizer"/> decides listen, whisper or barge on the
/// agent's call (scope by team: the agent's team from the agent directory). The principal is the
/// CallSwitch user linked to the account (<c>callswitch users add --extension</c>) when there is
/// one; otherwise the account's configured role stands for it — supervisor or admin: supervisor
/// of its own team; agent: agent (no supervision) — so a switch without users keeps working.
/// </summary>
/// <remarks>Thread-safe; reads the directory and the users at each decision, so a reload applies at once.</remarks>
public sealed class TeamSupervisionPolicy : ISupervisionPolicy
{
    private readonly IAuthorizer _authorizer;
    private readonly Func<AgentDirectory> _directory;
    private readonly Func<string, Principal?> _linkedUser;

    /// <summary>Creates the policy over the authorisation service and the users linked to SIP accounts.</summary>
    /// <param name="authorizer">The one authorisation service.</param>
    /// <param name="directory">The current agent directory.</param>
    /// <param name="linkedUser">The CallSwitch user linked to an extension, if any.</param>
    public TeamSupervisionPolicy(IAuthorizer authorizer, Func<AgentDirectory> directory, Func<string, Principal?> linkedUser)
    {
        ArgumentNullException.ThrowIfNull(authorizer);
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(linkedUser);
        _authorizer = authorizer;
        _directory = directory;
        _linkedUser = linkedUser;
    }

    /// <summary>Creates the policy for a switch without users: the accounts' configured roles decide, through the authorisation service.</summary>
    public TeamSupervisionPolicy(Func<AgentDirectory> directory)
        : this(new Authorizer([]), directory, _ => null)
    {
    }

    /// <inheritdoc />
    public SupervisionDecision Decide(string supervisor, string agent, SupervisionMode mode)
    {
        AgentDirectory agents = _directory();
        if (agents.Find(supervisor) is not { } boss)
        {
            return SupervisionDecision.Refuse($"'{supervisor}' is not an account of this switch");
        }

        if (string.Equals(supervisor, agent, StringComparison.Ordinal))
        {
            return SupervisionDecision.Refuse($"'{supervisor}' cannot supervise their own call");
        }

        if (agents.Find(agent) is not { } target)
        {
            return SupervisionDecision.Refuse($"'{agent}' is not an agent of this switch");
        }

        Principal? linked = _linkedUser(supervisor);
        Principal principal = linked ?? PrincipalOf(boss);
        var call = new AccessResource { Team = target.Team, AgentExtension = agent };
        AccessDecision decision = _authorizer.Decide(principal, ActionOf(mode), call);
        string who = linked is null
            ? $"'{supervisor}' (role {boss.Role}, team {boss.Team ?? "none"})"
            : $"'{supervisor}' (user {linked.Name})";
        return decision.Allowed
            ? SupervisionDecision.Allow($"{who} supervises '{agent}' (team {target.Team ?? "none"}): {decision.Reason}")
            : SupervisionDecision.Refuse($"{who} may not supervise '{agent}' (team {target.Team ?? "none"}): {decision.Reason}");
    }

    /// <summary>The right a supervision mode needs.</summary>
    public static AccessAction ActionOf(SupervisionMode mode) => mode switch
    {
        SupervisionMode.Listen => AccessAction.SuperviseListen,
        SupervisionMode.Whisper => AccessAction.SuperviseWhisper,
        _ => AccessAction.SuperviseBarge,
    };

    /// <summary>
    /// An account with no linked user, as its configured role makes it: supervisor or admin, a
    /// supervisor of its own team (none without a team); agent, an agent on its own calls.
    /// </summary>
    public static Principal PrincipalOf(AgentAccount account)
    {
        ArgumentNullException.ThrowIfNull(account);
        RoleGrant[] grants = account.Role switch
        {
            AgentRole.Agent => [new RoleGrant(Role.Agent, AccessScope.All)],
            _ when account.Team is { } team => [new RoleGrant(Role.Supervisor, AccessScope.Team(team))],
            _ => [],
        };
        return new Principal(account.Extension, account.Extension, grants);
    }
}
