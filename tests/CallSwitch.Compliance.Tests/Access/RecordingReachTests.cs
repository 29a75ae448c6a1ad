using CallSwitch.Compliance.Access;
using CallSwitch.Compliance.Storage;
using CallSwitch.Compliance.Storage.Sqlite;
using CallSwitch.Compliance.Tests.Storage;

namespace CallSwitch.Compliance.Tests.Access;

/// <summary>
/// A user's reach as query conditions (<see cref="Authorizer.Reach"/>) agrees with
/// <see cref="Authorizer.Decide"/> on every recording of a sample, for every kind of user; and the
/// store applies it in its query.
/// </summary>
public sealed class RecordingReachTests : IDisposable
{
    private static readonly Dictionary<string, string> Teams = new(StringComparer.Ordinal) { ["1001"] = "sales", ["1002"] = "sales", ["2001"] = "support" };

    private readonly TempDataDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    public static TheoryData<string> Users() => [.. Principals.Keys];

    private static Dictionary<string, Principal> Principals { get; } = new(StringComparer.Ordinal)
    {
        ["quality-all"] = new("q", null, [new(Role.Quality, AccessScope.All)]),
        ["supervisor-sales"] = new("s", "1003", [new(Role.Supervisor, AccessScope.Team("sales"))]),
        ["manager-spring"] = new("m", null, [new(Role.Manager, AccessScope.Campaign("spring"))]),
        ["agent-1001"] = new("a", "1001", [new(Role.Agent, AccessScope.All)]),
        ["agent-team-other"] = new("a2", "1001", [new(Role.Agent, AccessScope.Team("support"))]),
        ["agent-no-extension"] = new("a3", null, [new(Role.Agent, AccessScope.All)]),
        ["admin"] = new("ad", null, [new(Role.Admin, AccessScope.All)]),
        ["two-grants"] = new("t", null, [new(Role.Manager, AccessScope.Campaign("autumn")), new(Role.Supervisor, AccessScope.Team("support"))]),
        ["nobody"] = new("n", null, []),
    };

    [Theory]
    [MemberData(nameof(Users))]
    public void TheReachLetsInExactlyTheRecordingsTheDecisionAllows(string user)
    {
        Principal principal = Principals[user];
        var authorizer = new Authorizer([]);
        IReadOnlyList<RecordingReach>? reach = Authorizer.Reach(principal, AccessAction.SearchRecordings, AgentsOf);
        foreach (string campaign in new[] { "spring", "autumn" })
        {
            foreach (string agent in new[] { "1001", "1002", "2001", "9999" })
            {
                var resource = new AccessResource { CampaignId = campaign, AgentExtension = agent, Team = Teams.GetValueOrDefault(agent) };
                bool allowed = authorizer.Decide(principal, AccessAction.SearchRecordings, resource).Allowed;
                bool reached = reach is null || reach.Any(r => r.Covers(campaign, agent));
                Assert.True(allowed == reached, $"{user}: {campaign}/{agent}: decided {allowed}, reached {reached}");
            }
        }
    }

    [Fact]
    public async Task TheStoreAppliesTheReachInItsQuery()
    {
        await using SqliteMetadataStore store = SqliteMetadataStore.Open(new SqliteMetadataStoreOptions { DataDirectory = _directory.Path });
        var ids = new Dictionary<(string Campaign, string Agent), Guid>();
        foreach (string campaign in new[] { "spring", "autumn" })
        {
            foreach (string agent in new[] { "1001", "2001" })
            {
                ids[(campaign, agent)] = (await StoreSamples.AddAsync(store, campaign: campaign, agent: agent)).Id;
            }
        }

        async Task<Guid[]> FoundAsync(IReadOnlyList<RecordingReach>? reach) =>
            [.. (await store.SearchRecordingsAsync(new RecordingQuery { Reach = reach })).Items.Select(r => r.Id).Order()];

        Assert.Equal(ids.Values.Order(), await FoundAsync(null));
        Assert.Empty(await FoundAsync([]));
        Assert.Empty(await FoundAsync([new RecordingReach(null, new HashSet<string>())]));
        Assert.Equal(
            new[] { ids[("spring", "1001")], ids[("autumn", "1001")], ids[("spring", "2001")] }.Order(),
            await FoundAsync([new RecordingReach(null, new HashSet<string> { "1001" }), new RecordingReach("spring", null)]));
        Assert.Equal([ids[("autumn", "2001")]], await FoundAsync([new RecordingReach("autumn", new HashSet<string> { "2001", "x'); DROP TABLE recordings; --" })]));
        Assert.Equal(3, (await store.SearchRecordingsAsync(new RecordingQuery { Reach = [new RecordingReach(null, new HashSet<string> { "1001" }), new RecordingReach("spring", null)] })).TotalCount);
    }

    private static IReadOnlySet<string> AgentsOf(string team) =>
        Teams.Where(t => t.Value == team).Select(t => t.Key).ToHashSet(StringComparer.Ordinal);
}
