using System.Text.Json;
using CallSwitch.Compliance.Rules;
using CallSwitch.Compliance.Storage;

namespace CallSwitch.Server.Tests.WebConsole;

/// <summary>
/// The recordings search applies the user's scopes in the query: a team supervisor whose team
/// made 30 of 330 recordings, the others' scattered newest first, gets full pages of their team's
/// (25, then 5) and nothing else; a user reaching everything gets the store's pages as they are.
/// The prospect's number is shown in clear only to a user who may hear the recording.
/// </summary>
public sealed class ConsoleSearchScopeTests(ConsoleHostFixture fixture) : IClassFixture<ConsoleHostFixture>
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task ATeamSupervisorsPagesAreFullEvenWhenMostRecordingsAreOutOfTheirScope()
    {
        // Agent 1001 is in team paris (the supervisor's); 2001 and 2002 are in no team of theirs.
        var paris = new HashSet<Guid>();
        for (int i = 0; i < 330; i++)
        {
            string agent = i % 11 == 0 ? "1001" : i % 2 == 0 ? "2001" : "2002";
            Guid id = await AddAsync(agent, T0.AddMinutes(i));
            if (agent == "1001")
            {
                paris.Add(id);
            }
        }

        (HttpClient client, _) = await fixture.SessionOf("supervisor");
        (List<Guid> first, string? next) = await PageAsync(client, "api/recordings?campaign=demo-fr");
        Assert.Equal(25, first.Count);
        Assert.NotNull(next);
        (List<Guid> second, string? last) = await PageAsync(client, "api/recordings?campaign=demo-fr&after=" + next);
        Assert.Equal(5, second.Count);
        Assert.Null(last);
        Assert.Equal(paris.Order(), first.Concat(second).Order());

        // The quality reviewer reaches every recording: the store's page as it is.
        (HttpClient quality, _) = await fixture.SessionOf("quality");
        (List<Guid> all, string? more) = await PageAsync(quality, "api/recordings?campaign=demo-fr");
        Assert.Equal(25, all.Count);
        Assert.NotNull(more);
        Assert.True(all.Count(id => !paris.Contains(id)) > 20);
    }

    [Fact]
    public async Task TheNumberIsShownInClearOnlyToWhoMayHearTheRecording()
    {
        // Another campaign than the other test's (the class's tests share one store).
        await AddAsync("1001", T0.AddDays(-1), "demo-en");
        foreach ((string user, string shown) in new[] { ("quality", "+33612345678"), ("supervisor", "+*********78"), ("dpo", "+*********78") })
        {
            (HttpClient client, _) = await fixture.SessionOf(user);
            using JsonDocument page = JsonDocument.Parse(await client.GetStringAsync("api/recordings?campaign=demo-en&number=06%2012%2034%2056%2078"));
            JsonElement[] items = [.. page.RootElement.GetProperty("items").EnumerateArray()];
            Assert.NotEmpty(items);
            Assert.All(items, r => Assert.Equal(shown, r.GetProperty("number").GetString()));
        }
    }

    private static async Task<(List<Guid> Items, string? Next)> PageAsync(HttpClient client, string path)
    {
        using JsonDocument page = JsonDocument.Parse(await client.GetStringAsync(path));
        List<Guid> items = [.. page.RootElement.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("id").GetGuid())];
        JsonElement next = page.RootElement.GetProperty("next");
        return (items, next.ValueKind == JsonValueKind.String ? next.GetString() : null);
    }

    private async Task<Guid> AddAsync(string agent, DateTimeOffset started, string campaign = "demo-fr")
    {
        Guid id = Guid.NewGuid();
        string call = "scope-" + id.ToString("N");
        await fixture.Store.SaveCallAsync(new CallRecord
        {
            CallId = call,
            Direction = CallDirection.Outbound,
            AgentId = agent,
            CampaignId = campaign,
            ProspectNumber = "+33612345678",
            StartedAt = started,
            Recorded = true,
        });
        await fixture.Store.AddRecordingAsync(new NewRecording
        {
            Id = id,
            CallId = call,
            CampaignId = campaign,
            AgentId = agent,
            ProspectNumber = "+33612345678",
            StartedAt = started,
            RuleId = campaign + "/always",
            Purposes = ["training"],
            LegalBasis = LegalBasis.LegitimateInterest,
            RetentionUntil = started.AddDays(90),
            KeyId = Guid.NewGuid(),
            FilePath = $"/var/spool/callswitch/{id:N}.ogg.enc",
        });
        return id;
    }
}
