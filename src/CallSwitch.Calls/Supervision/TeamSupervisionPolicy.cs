using CallSwitch.Calls.Agents;
using CallSwitch.Configuration;
using CallSwitch.Media.Mixing;

namespace CallSwitch.Calls.Supervision;

/// <summary>
/// The interim rule until the authorisation service exists: a supervisor (or admin) account
/// may supervise an agent of its own team, and nobody else may supervise anyone.
/// </summary>
/// <param name="directory">The current agent directory (read at each decision, so a reload applies at once).</param>
public sealed class TeamSupervisionPolicy(Func<AgentDirectory> directory) : ISupervisionPolicy
{
    /// <inheritdoc />
    public SupervisionDecision Decide(string supervisor, string agent, SupervisionMode mode)
    {
        AgentDirectory agents = directory();
        if (agents.Find(supervisor) is not { } boss)
        {
            return SupervisionDecision.Refuse($"'{supervisor}' is not an account of this switch");
        }

        if (boss.Role < AgentRole.Supervisor)
        {
            return SupervisionDecision.Refuse($"'{supervisor}' has role {boss.Role}, supervision needs Supervisor or Admin");
        }

        if (string.Equals(supervisor, agent, StringComparison.Ordinal))
        {
            return SupervisionDecision.Refuse($"'{supervisor}' cannot supervise their own call");
        }

        if (agents.Find(agent) is not { } target)
        {
            return SupervisionDecision.Refuse($"'{agent}' is not an agent of this switch");
        }

        if (boss.Team is null || !string.Equals(boss.Team, target.Team, StringComparison.Ordinal))
        {
            return SupervisionDecision.Refuse($"'{supervisor}' (team {boss.Team ?? "none"}) may not supervise '{agent}' (team {target.Team ?? "none"})");
        }

        return SupervisionDecision.Allow($"'{supervisor}' ({boss.Role}) supervises team {boss.Team}");
    }
}
