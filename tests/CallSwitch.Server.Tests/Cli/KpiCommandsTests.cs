using System.Text.Json;
using CallSwitch.Compliance.Access;
using CallSwitch.Compliance.Storage;
using CallSwitch.Compliance.Storage.Sqlite;
using CallSwitch.Configuration;
using CallSwitch.Server.Cli;
using CallSwitch.TestSupport;

namespace CallSwitch.Server.Tests.Cli;

/// <summary><c>callswitch kpi</c> through the command line on a store written through its API.</summary>
public sealed class KpiCommandsTests : IDisposable
{
    private static readonly DateTimeOffset Day = new(2026, 3, 10, 9, 0, 0, TimeSpan.Zero);

    private readonly string _config = ConfigFixture.WriteLocalConfig();

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_config)!, recursive: true);

    [Fact]
    public async Task The_period_figures_print_as_text_and_json_and_bad_options_exit_2()
    {
        await using (SqliteMetadataStore store = SqliteMetadataStore.Open(new SqliteMetadataStoreOptions { DataDirectory = Path.Combine(Path.GetDirectoryName(_config)!, "data") }))
        {
            for (int i = 0; i < 4; i++)
            {
                await store.SaveCallAsync(new CallRecord
                {
                    CallId = "c" + i,
                    Direction = CallDirection.Outbound,
                    CampaignId = i < 3 ? "demo-fr" : "demo-en",
                    StartedAt = Day.AddHours(i),
                    Recorded = i % 2 == 0,
                    Announcement = i == 0 ? null : new AnnouncementPlayback(Day.AddHours(i).AddSeconds(8), new string('a', 64)),
                });
            }

            // Who runs kpi: the OS user, a dpo.
            await store.AddUserAsync(new NewUser(Environment.UserName, PasswordHasher.Hash("operator password"), null, [new(Role.Dpo, AccessScope.All)]), "test");

            // Outside the period.
            await store.SaveCallAsync(new CallRecord { CallId = "old", Direction = CallDirection.Inbound, StartedAt = Day.AddMonths(-1) });
        }

        var (code, output, error) = await RunAsync("kpi", "--from", "2026-03-01", "--to", "2026-03-31");
        Assert.True(code == 0, error);
        Assert.Contains("calls: 4\n", output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("recorded: 2 (50.0 %)", output, StringComparison.Ordinal);
        Assert.Contains("informed (notice played in full): 3 (75.0 %)", output, StringComparison.Ordinal);

        (code, output, error) = await RunAsync("kpi", "--campaign", "demo-fr", "--from", "2026-03-01", "--to", "2026-03-31", "--json");
        Assert.True(code == 0, error);
        using JsonDocument json = JsonDocument.Parse(output);
        Assert.Equal(3, json.RootElement.GetProperty("calls").GetInt64());
        Assert.Equal(2, json.RootElement.GetProperty("informed").GetInt64());

        (code, _, error) = await RunAsync("kpi", "--campaign", "nope");
        Assert.Equal(2, code);
        Assert.Contains("no campaign nope", error, StringComparison.Ordinal);
        (code, _, error) = await RunAsync("kpi", "--from", "2026-03-31", "--to", "2026-03-01");
        Assert.Equal(2, code);
        Assert.Contains("--to must come after --from", error, StringComparison.Ordinal);
    }

    private async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = await CommandLine.RunAsync([.. args, "--config", _config], output, error);
        return (code, output.ToString(), error.ToString());
    }
}
