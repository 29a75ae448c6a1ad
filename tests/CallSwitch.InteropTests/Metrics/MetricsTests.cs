using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using CallSwitch.Calls.Recording;
using CallSwitch.Calls.Sessions;
using CallSwitch.Compliance.Rules;
using CallSwitch.InteropTests.Api;
using CallSwitch.InteropTests.Calls;

namespace CallSwitch.InteropTests.Metrics;

/// <summary><c>/metrics</c> on the API's listener, scraped while a SIPp call runs through the switch.</summary>
public partial class MetricsTests
{
    private static readonly RecordingRule Always = new()
    {
        CampaignId = "spring",
        Mode = RecordingMode.Always,
        Purposes = ["quality"],
        LegalBasis = LegalBasis.LegitimateInterest,
        RetentionDays = 30,
    };

    [Fact]
    public async Task ScrapedDuringACallTheyShowTheCallTheRelayTheRecorderAndSip()
    {
        await using var h = CallHarness.Start(recording: Always, adjust: ApiTests.WithApi);
        using HttpClient http = ApiTests.Client(h.Switch);
        Task<string>? scraped = null;

        var (agent, trunk) = await h.RunAsync(
            "trunk-answer",
            agentHangup: "agent-bye",
            trunkHangup: "trunk-wait-bye",
            talkMs: 3000,
            onAnswered: call => scraped = ScrapeWhileRecordingAsync(http, call));

        Assert.True(agent.ExitCode == 0, "agent: " + agent + "\n--- switch log ---\n" + h.Switch.Log);
        Assert.True(trunk.ExitCode == 0, "trunk: " + trunk + "\n--- switch log ---\n" + h.Switch.Log);
        string text = await (scraped ?? throw new InvalidOperationException("the call was never answered\n" + h.Switch.Log));

        Assert.Equal(1, Value(text, "callswitch_calls_active"));
        Assert.Equal(1, Value(text, "callswitch_calls_total"));
        Assert.Equal(2, Value(text, "callswitch_relay_legs_active"));
        Assert.True(Value(text, "callswitch_relay_packets", "direction=\"in\"") > 0, text);
        Assert.True(Value(text, "callswitch_relay_packets", "direction=\"out\"") > 0, text);
        Assert.Equal(1, Value(text, "callswitch_recordings_started"));
        Assert.Equal(0, Value(text, "callswitch_recorder_failures"));
        Assert.True(Value(text, "callswitch_sip_messages_received") >= 4, text);
        Assert.True(Value(text, "callswitch_sip_messages_sent") >= 4, text);
        Assert.Equal(0, Value(text, "callswitch_sip_errors", "kind=\"malformed\""));

        // After the call: nothing live, the ended call's packets and recording still counted. The
        // peers are gone once their BYE transactions end; the switch ends the call and closes the
        // recording just after (the trunk's 200 to its BYE, the file's fsync): scraped until then.
        string after = await GetAsync(http);
        for (int i = 0; i < 100 && (Value(after, "callswitch_calls_active") != 0 || Value(after, "callswitch_recordings_finished") != 1); i++)
        {
            await Task.Delay(50);
            after = await GetAsync(http);
        }

        Assert.Equal(0, Value(after, "callswitch_calls_active"));
        Assert.Equal(1, Value(after, "callswitch_calls_total"));
        Assert.True(Value(after, "callswitch_relay_packets", "direction=\"in\"") >= Value(text, "callswitch_relay_packets", "direction=\"in\""), after);
        Assert.Equal(1, Value(after, "callswitch_recordings_finished"));
    }

    [Fact]
    public async Task TheIndicatorsAreGaugesWithTheirCampaignAfterARecordedCall()
    {
        string data = Directory.CreateTempSubdirectory("cs-kpi-metrics-").FullName;
        try
        {
            await using (var h = CallHarness.Start(recording: Always, adjust: ApiTests.WithApi, dataPath: data))
            {
                using HttpClient http = ApiTests.Client(h.Switch);
                var (agent, trunk) = await h.RunAsync("trunk-answer", agentHangup: "agent-bye", trunkHangup: "trunk-wait-bye", talkMs: 1500);
                Assert.True(agent.ExitCode == 0 && trunk.ExitCode == 0, $"agent: {agent}\ntrunk: {trunk}\n--- switch log ---\n{h.Switch.Log}");

                // The gauges show what the store held at their last refresh: wait until the call's row
                // is complete (the recording's close, after the call's end, adds the notice's playback).
                DateTimeOffset now = DateTimeOffset.UtcNow.AddMinutes(1);
                CallSwitch.Compliance.Kpi.KpiReport model = null!;
                for (int i = 0; i < 500; i++)
                {
                    await h.Switch.Host.Archive!.FlushAsync();
                    model = await h.Switch.Host.Archive.Store.ComputeKpiAsync(new(now - CallSwitch.Server.Metrics.KpiGauges.Window, now));
                    if (model.CallsInformed == 1)
                    {
                        break;
                    }

                    await Task.Delay(10);
                }

                await h.Switch.Host.Services.GetRequiredService<CallSwitch.Server.Metrics.KpiGauges>().RefreshAsync();
                string text = await GetAsync(http);

                Assert.Equal(1, Value(text, "callswitch_kpi_calls", "campaign=\"*\""));
                Assert.Equal(1, Value(text, "callswitch_kpi_calls_recorded", "campaign=\"*\""));
                Assert.Equal(1, Value(text, "callswitch_kpi_share_recorded", "campaign=\"*\""));
                Assert.Equal(0, Value(text, "callswitch_kpi_recordings_purged", "campaign=\"*\""));

                // Every figure is the model's: the same report computed from the store directly.
                Assert.Equal(model.ShareInformed, Value(text, "callswitch_kpi_share_informed", "campaign=\"*\""), 6);
                Assert.Equal(model.CallsInformed, Value(text, "callswitch_kpi_calls_informed", "campaign=\"*\""));
                Assert.Equal(model.Pauses, Value(text, "callswitch_kpi_pauses", "campaign=\"*\""));

                // The configured campaigns have their own series (this call was in the harness's campaign, not theirs).
                Assert.Equal(0, Value(text, "callswitch_kpi_calls", "campaign=\"demo-fr\""));
            }
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    private static async Task<string> ScrapeWhileRecordingAsync(HttpClient http, B2buaCall call)
    {
        // The recording starts once the 1 s notice has played; then let media flow a little.
        for (int i = 0; i < 300 && (call.Recording?.State ?? RecordingState.None) != RecordingState.Recording; i++)
        {
            await Task.Delay(10);
        }

        await Task.Delay(300);
        return await GetAsync(http);
    }

    private static async Task<string> GetAsync(HttpClient http)
    {
        using HttpResponseMessage response = await http.GetAsync("metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>The value of the sample <paramref name="name"/> (with <paramref name="label"/> among its labels when given).</summary>
    private static double Value(string text, string name, string? label = null)
    {
        foreach (Match m in Sample().Matches(text))
        {
            if (m.Groups["name"].Value == name && (label is null || m.Groups["labels"].Value.Contains(label, StringComparison.Ordinal)))
            {
                return double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture);
            }
        }

        throw new Xunit.Sdk.XunitException($"no sample {name} {label} in:\n{text}");
    }

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>[^}]*)\})? (?<value>\S+)", RegexOptions.Multiline)]
    private static partial Regex Sample();
}
