using CallSwitch.Compliance.Access;

namespace CallSwitch.Compliance.Tests.Access;

public class AccessScopeTests
{
    [Theory]
    [InlineData("*", ScopeKind.All, "")]
    [InlineData("team:sales", ScopeKind.Team, "sales")]
    [InlineData("campaign:spring-2026", ScopeKind.Campaign, "spring-2026")]
    public void Scopes_read_and_print_the_same(string text, ScopeKind kind, string name)
    {
        Assert.True(AccessScope.TryParse(text, out AccessScope? scope, out _));
        Assert.Equal(new AccessScope(kind, name), scope);
        Assert.Equal(text, scope.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("team")]
    [InlineData("team:")]
    [InlineData("site:paris")]
    [InlineData("agent:1001")]
    [InlineData("campaign:a b")]
    public void A_bad_scope_is_refused_with_its_reason(string text)
    {
        Assert.False(AccessScope.TryParse(text, out _, out string? reason));
        Assert.Contains("team:NAME or campaign:NAME", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_scope_covers_its_team_or_its_campaign_only()
    {
        Assert.True(AccessScope.All.Covers(null, null));
        Assert.True(AccessScope.Team("sales").Covers("sales", "spring"));
        Assert.False(AccessScope.Team("sales").Covers("support", "spring"));
        Assert.False(AccessScope.Team("sales").Covers(null, "sales"));
        Assert.True(AccessScope.Campaign("spring").Covers("sales", "spring"));
        Assert.False(AccessScope.Campaign("spring").Covers("spring", "autumn"));
    }

    [Fact]
    public void An_agent_scope_covers_that_agents_calls_only()
    {
        var of1001 = new AccessResource { Team = "sales", CampaignId = "spring", AgentExtension = "1001" };
        Assert.True(AccessScope.Agent("1001").Covers(of1001));
        Assert.False(AccessScope.Agent("1002").Covers(of1001));
        Assert.False(AccessScope.Agent("1001").Covers(AccessResource.System));
        Assert.False(AccessScope.Agent("sales").Covers("sales", "spring"));
        Assert.True(AccessScope.Team("sales").Covers(of1001));
        Assert.Equal("agent:1001", AccessScope.Agent("1001").ToString());
    }

    [Fact]
    public void Roles_read_their_own_names()
    {
        foreach (Role role in RoleNames.All)
        {
            Assert.True(RoleNames.TryParse(RoleNames.ToCode(role).ToUpperInvariant(), out Role? read));
            Assert.Equal(role, read);
        }

        Assert.False(RoleNames.TryParse("root", out _));
        Assert.Equal("quality@campaign:spring", new RoleGrant(Role.Quality, AccessScope.Campaign("spring")).ToString());
    }
}
