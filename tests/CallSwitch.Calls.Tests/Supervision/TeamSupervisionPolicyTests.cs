using CallSwitch.Calls.Agents;
using CallSwitch.Calls.Supervision;
using CallSwitch.Configuration;
using CallSwitch.Media.Mixing;

namespace CallSwitch.Calls.Tests.Supervision;

public class TeamSupervisionPolicyTests
{
    internal static readonly AgentDirectory Agents = new(
    [
        new AgentAccount("1001", "Alice", null, null) { Team = "paris" },
        new AgentAccount("1002", "Bruno", null, null) { Team = "paris" },
        new AgentAccount("1003", "Chloé", null, null) { Team = "paris", Role = AgentRole.Supervisor },
        new AgentAccount("1004", "Dora", null, null) { Team = "lyon", Role = AgentRole.Supervisor },
        new AgentAccount("1005", "Eve", null, null) { Team = "paris", Role = AgentRole.Admin },
        new AgentAccount("1006", "Fay", null, null) { Role = AgentRole.Supervisor },
    ]);

    private readonly TeamSupervisionPolicy _policy = new(() => Agents);

    [Theory]
    [InlineData("1003", "1001")]
    [InlineData("1005", "1002")]
    [InlineData("1003", "1005")]
    public void ASupervisorOrAdminMaySuperviseTheirTeam(string supervisor, string agent) =>
        Assert.True(_policy.Decide(supervisor, agent, SupervisionMode.Barge).Allowed);

    [Theory]
    [InlineData("1004", "1001", "team lyon")]
    [InlineData("1002", "1001", "role Agent")]
    [InlineData("1006", "1001", "team none")]
    [InlineData("1003", "1003", "own call")]
    [InlineData("9999", "1001", "not an account")]
    [InlineData("1003", "9999", "not an agent")]
    public void EveryoneElseIsRefusedWithAReason(string supervisor, string agent, string reason)
    {
        SupervisionDecision decision = _policy.Decide(supervisor, agent, SupervisionMode.Listen);
        Assert.False(decision.Allowed);
        Assert.Contains(reason, decision.Reason, StringComparison.Ordinal);
    }
}
