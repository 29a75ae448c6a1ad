using CallSwitch.Calls.Agents;
using CallSwitch.Calls.Supervision;
using CallSwitch.Compliance.Access;
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

    [Fact]
    public void ALinkedUsersRolesReplaceTheAccountsConfiguredRole()
    {
        var users = new Dictionary<string, Principal>
        {
            // An agent account whose user supervises the Paris team; a supervisor account whose user is quality only.
            ["1002"] = new("bruno", "1002", [new RoleGrant(Role.Supervisor, AccessScope.Team("paris"))]),
            ["1003"] = new("chloe", "1003", [new RoleGrant(Role.Quality, AccessScope.All)]),
        };
        var policy = new TeamSupervisionPolicy(new Authorizer([]), () => Agents, users.GetValueOrDefault);

        SupervisionDecision bruno = policy.Decide("1002", "1001", SupervisionMode.Whisper);
        Assert.True(bruno.Allowed, bruno.Reason);
        Assert.Contains("user bruno", bruno.Reason, StringComparison.Ordinal);

        SupervisionDecision chloe = policy.Decide("1003", "1001", SupervisionMode.Listen);
        Assert.False(chloe.Allowed);
        Assert.Contains("user chloe", chloe.Reason, StringComparison.Ordinal);
        Assert.Contains("none of chloe's roles (quality@*) may listen to a live call", chloe.Reason, StringComparison.Ordinal);

        // Outside the user's team: refused by scope.
        SupervisionDecision lyon = policy.Decide("1002", "1004", SupervisionMode.Barge);
        Assert.False(lyon.Allowed);
        Assert.Contains("supervisor@team:paris does not cover team=lyon", lyon.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(SupervisionMode.Listen, AccessAction.SuperviseListen)]
    [InlineData(SupervisionMode.Whisper, AccessAction.SuperviseWhisper)]
    [InlineData(SupervisionMode.Barge, AccessAction.SuperviseBarge)]
    public void EachModeAsksForItsOwnRight(SupervisionMode mode, AccessAction action) =>
        Assert.Equal(action, TeamSupervisionPolicy.ActionOf(mode));
}
