using CallSwitch.Compliance.Access;
using CallSwitch.Compliance.Rules;

namespace CallSwitch.Compliance.Tests.Access;

/// <summary>
/// The permission matrix: every role × every action × in scope / out of scope, under a campaign
/// with the defaults (least privilege) and under one granting everything it can; then the purpose
/// binding and the reasons.
/// </summary>
public class AuthorizerTests
{
    private const string Y = "allow";
    private const string N = "deny";

    private static readonly CampaignAccess Spring = new() { CampaignId = "spring", Purposes = ["quality", "training", "dispute"] };

    private static readonly CampaignAccess Generous = Spring with
    {
        AgentsListen = true,
        ListenRoles = new HashSet<Role> { Role.Supervisor, Role.Quality, Role.Manager },
        DownloadRoles = new HashSet<Role>(RoleNames.All),
    };

    private static readonly AccessResource InScope = new() { CampaignId = "spring", Team = "sales", AgentExtension = "1001", RequestId = "R-1" };

    private static readonly AccessResource OutOfScope = new() { CampaignId = "autumn", Team = "support", AgentExtension = "1002", RequestId = "R-1" };

    private static readonly AccessPurpose Quality = new("quality");

    /// <summary>role, action, in scope under the defaults, in scope under the generous campaign (out of scope: always denied).</summary>
    public static TheoryData<Role, AccessAction, string, string> Matrix()
    {
        var expected = new Dictionary<Role, Dictionary<AccessAction, (string Default, string Generous)>>
        {
            [Role.Agent] = new()
            {
                [AccessAction.SearchRecordings] = (Y, Y), [AccessAction.Stream] = (N, Y), [AccessAction.Download] = (N, Y),
                [AccessAction.RecordingControl] = (Y, Y),
            },
            [Role.Supervisor] = new()
            {
                [AccessAction.SearchRecordings] = (Y, Y), [AccessAction.Stream] = (N, Y), [AccessAction.Download] = (N, Y),
                [AccessAction.Extract] = (Y, Y), [AccessAction.Annotate] = (Y, Y), [AccessAction.SuperviseListen] = (Y, Y),
                [AccessAction.SuperviseWhisper] = (Y, Y), [AccessAction.SuperviseBarge] = (Y, Y), [AccessAction.RecordingControl] = (Y, Y),
            },
            [Role.Quality] = new()
            {
                [AccessAction.SearchRecordings] = (Y, Y), [AccessAction.Stream] = (Y, Y), [AccessAction.Download] = (N, Y),
                [AccessAction.Extract] = (Y, Y), [AccessAction.Annotate] = (Y, Y), [AccessAction.Kpi] = (Y, Y),
            },
            [Role.Manager] = new()
            {
                [AccessAction.SearchRecordings] = (Y, Y), [AccessAction.Stream] = (Y, Y), [AccessAction.Download] = (N, Y),
                [AccessAction.Extract] = (Y, Y), [AccessAction.Annotate] = (Y, Y), [AccessAction.Kpi] = (Y, Y),
            },
            [Role.Dpo] = new()
            {
                [AccessAction.SearchRecordings] = (Y, Y), [AccessAction.Stream] = (Y, Y), [AccessAction.Download] = (Y, Y),
                [AccessAction.Requests] = (Y, Y), [AccessAction.Holds] = (Y, Y), [AccessAction.AuditRead] = (Y, Y),
                [AccessAction.AuditVerify] = (Y, Y), [AccessAction.Kpi] = (Y, Y),
            },
            [Role.Admin] = new()
            {
                [AccessAction.Config] = (Y, Y), [AccessAction.Users] = (Y, Y), [AccessAction.AuditVerify] = (Y, Y),
            },
        };
        var data = new TheoryData<Role, AccessAction, string, string>();
        foreach (Role role in RoleNames.All)
        {
            foreach (AccessAction action in Enum.GetValues<AccessAction>())
            {
                (string d, string g) = expected[role].GetValueOrDefault(action, (N, N));
                data.Add(role, action, d, g);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public void Every_role_and_action_in_and_out_of_scope(Role role, AccessAction action, string underDefaults, string underGenerous)
    {
        Principal principal = Scoped(role);

        AccessDecision byDefault = new Authorizer([Spring]).Decide(principal, action, InScope, Quality);
        AccessDecision generous = new Authorizer([Generous]).Decide(principal, action, InScope, Quality);
        AccessDecision outside = new Authorizer([Generous, Generous with { CampaignId = "autumn" }]).Decide(principal, action, OutOfScope, Quality);

        Assert.True(byDefault.Allowed == (underDefaults == Y), $"defaults: {byDefault.Reason}");
        Assert.True(generous.Allowed == (underGenerous == Y), $"generous: {generous.Reason}");
        Assert.False(outside.Allowed, outside.Reason);
        Assert.False(string.IsNullOrWhiteSpace(outside.Reason));
    }

    [Fact]
    public void The_matrix_covers_every_role_and_action()
    {
        Assert.Equal(RoleNames.All.Count * Enum.GetValues<AccessAction>().Length, Matrix().Count);
    }

    [Fact]
    public void System_actions_need_a_grant_on_every_scope()
    {
        var authorizer = new Authorizer([Spring]);

        Assert.True(authorizer.Decide(Grant("root", Role.Admin, AccessScope.All), AccessAction.Users, AccessResource.System).Allowed);
        AccessDecision scoped = authorizer.Decide(Grant("root", Role.Admin, AccessScope.Campaign("spring")), AccessAction.Users, AccessResource.System);
        Assert.False(scoped.Allowed);
        Assert.Equal("admin@campaign:spring does not cover system", scoped.Reason);
    }

    [Fact]
    public void Listening_needs_a_declared_purpose_and_a_dispute_a_reason()
    {
        var authorizer = new Authorizer([Spring]);
        Principal qa = Scoped(Role.Quality);

        Assert.StartsWith("a purpose is required to listen to a recording", authorizer.Decide(qa, AccessAction.Stream, InScope).Reason, StringComparison.Ordinal);
        Assert.Equal(
            "purpose 'marketing' is not declared by campaign spring (declared: quality, training, dispute)",
            authorizer.Decide(qa, AccessAction.Stream, InScope, new AccessPurpose("marketing")).Reason);
        Assert.Equal(
            "the purpose 'dispute' needs a reason (which dispute, with whom)",
            authorizer.Decide(qa, AccessAction.Stream, InScope, new AccessPurpose("dispute", " ")).Reason);
        Assert.True(authorizer.Decide(qa, AccessAction.Stream, InScope, new AccessPurpose("dispute", "complaint 2026-114")).Allowed);
        Assert.Equal(
            "campaign autumn is not configured: it declares no purpose",
            authorizer.Decide(Grant("q", Role.Quality, AccessScope.All), AccessAction.Stream, OutOfScope, Quality).Reason);
    }

    [Fact]
    public void A_dpo_listens_only_within_a_request_and_an_agent_only_to_their_own_calls()
    {
        var authorizer = new Authorizer([Generous]);

        Assert.Equal(
            "a dpo may listen to a recording only within a data-subject request",
            authorizer.Decide(Scoped(Role.Dpo), AccessAction.Stream, InScope with { RequestId = null }, Quality).Reason);
        Assert.Equal(
            "an agent may listen to a recording only on their own calls",
            authorizer.Decide(Scoped(Role.Agent), AccessAction.Stream, InScope with { AgentExtension = "1003" }, Quality).Reason);
        Assert.False(authorizer.Decide(Scoped(Role.Agent) with { Extension = null }, AccessAction.Stream, InScope, Quality).Allowed);
    }

    [Fact]
    public void The_most_specific_reason_is_given_and_any_grant_that_allows_wins()
    {
        var authorizer = new Authorizer([Spring]);
        var both = new Principal("eve", "1001", [new(Role.Admin, AccessScope.All), new(Role.Supervisor, AccessScope.Team("sales"))]);

        Assert.Equal("campaign spring gives supervisors anonymised extracts only", authorizer.Decide(both, AccessAction.Stream, InScope, Quality).Reason);
        Assert.Equal("allowed as admin@*", authorizer.Decide(both, AccessAction.Config, AccessResource.System).Reason);
        Assert.Equal(
            "none of eve's roles (admin@*, supervisor@team:sales) may handle data-subject requests",
            authorizer.Decide(both, AccessAction.Requests, AccessResource.System).Reason);
    }

    [Fact]
    public void Nobody_and_a_disabled_user_are_denied_everything()
    {
        var authorizer = new Authorizer([Generous]);
        Principal disabled = Principal.Of(new User("old", null, Disabled: true, [new(Role.Admin, AccessScope.All)], DateTimeOffset.UnixEpoch));

        Assert.Equal("nobody is signed in", authorizer.Decide(null, AccessAction.SearchRecordings, InScope).Reason);
        Assert.Equal("old holds no role (disabled, or never granted one)", authorizer.Decide(disabled, AccessAction.Config, AccessResource.System).Reason);
    }

    [Fact]
    public void A_configuration_reload_changes_the_next_decisions()
    {
        var authorizer = new Authorizer([Spring]);
        Principal agent = Scoped(Role.Agent);
        Assert.False(authorizer.Decide(agent, AccessAction.Stream, InScope, Quality).Allowed);

        authorizer.Update([Spring with { AgentsListen = true }]);

        Assert.True(authorizer.Decide(agent, AccessAction.Stream, InScope, Quality).Allowed);
        Assert.Equal(["quality", "training"], CampaignAccess.FromRule(new RecordingRule { CampaignId = "c", Purposes = ["quality", "training"] }).Purposes);
    }

    [Fact]
    public void A_campaign_can_narrow_who_listens_and_who_extracts()
    {
        var strict = new Authorizer([Spring with { ListenRoles = new HashSet<Role> { Role.Quality }, ExtractRoles = new HashSet<Role> { Role.Quality } }]);

        Assert.True(strict.Decide(Scoped(Role.Quality), AccessAction.Stream, InScope, Quality).Allowed);
        Assert.True(strict.Decide(Scoped(Role.Quality), AccessAction.Extract, InScope, Quality).Allowed);
        Assert.Equal(
            "campaign spring does not let a manager hear its recordings",
            strict.Decide(Scoped(Role.Manager), AccessAction.Stream, InScope, Quality).Reason);
        Assert.Equal(
            "campaign spring does not let a supervisor make training extracts",
            strict.Decide(Scoped(Role.Supervisor), AccessAction.Extract, InScope, Quality).Reason);
        Assert.Equal(
            "campaign spring does not let a manager make training extracts",
            strict.Decide(Scoped(Role.Manager), AccessAction.Extract, InScope, Quality).Reason);
    }

    [Theory]
    [InlineData(Role.Agent, AccessAction.Stream)]
    [InlineData(Role.Supervisor, AccessAction.Stream)]
    [InlineData(Role.Supervisor, AccessAction.Extract)]
    [InlineData(Role.Quality, AccessAction.Stream)]
    [InlineData(Role.Manager, AccessAction.Download)]
    public void A_restricted_recording_is_heard_by_the_dpo_alone(Role role, AccessAction action)
    {
        var authorizer = new Authorizer([Generous]);
        AccessResource restricted = InScope with { Restricted = true };
        Assert.True(authorizer.Decide(Scoped(role), action, InScope, Quality).Allowed);

        AccessDecision denied = authorizer.Decide(Scoped(role), action, restricted, Quality);

        Assert.False(denied.Allowed);
        Assert.Contains("restriction request (GDPR Art. 18)", denied.Reason, StringComparison.Ordinal);
        Assert.True(authorizer.Decide(Scoped(Role.Dpo), AccessAction.Stream, restricted).Allowed);
        Assert.True(authorizer.Decide(Scoped(Role.Quality), AccessAction.SearchRecordings, restricted).Allowed);
    }

    private static Principal Scoped(Role role) => role switch
    {
        Role.Agent or Role.Supervisor => new Principal("u", "1001", [new(role, AccessScope.Team("sales"))]),
        _ => new Principal("u", null, [new(role, AccessScope.Campaign("spring"))]),
    };

    private static Principal Grant(string name, Role role, AccessScope scope) => new(name, null, [new(role, scope)]);
}
