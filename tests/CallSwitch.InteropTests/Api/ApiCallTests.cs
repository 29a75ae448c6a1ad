using CallSwitch.Compliance.Rules;
using CallSwitch.Configuration;
using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using CallSwitch.Calls.Recording;
using CallSwitch.Calls.Sessions;
using CallSwitch.InteropTests.Calls;

namespace CallSwitch.InteropTests.Api;

/// <summary>The CRM's API acting on a real call (SIPp agent and trunk, RTP from the test's sockets).</summary>
public class ApiCallTests
{
    private static readonly RecordingRule OnDemand = new()
    {
        CampaignId = "spring",
        Mode = RecordingMode.OnDemand,
        Purposes = ["training"],
        LegalBasis = LegalBasis.Consent,
        RetentionDays = 30,
    };

    [Fact]
    public async Task TheCrmSeesTheAgentsCallWithoutTheNumberAndStartsItsRecording()
    {
        await using var h = CallHarness.Start(recording: OnDemand, adjust: ApiTests.WithApi);
        var (call, steps, finished, apiLog) = await RunWithCrmAsync(h, talkMs: 4000, ActAsCrmAsync);

        // The list: the call, its agent and campaign, not recording yet, and no phone number anywhere.
        JsonElement listed = Assert.Single(steps["list"].Body.GetProperty("calls").EnumerateArray());
        Assert.Equal(call.Id, listed.GetProperty("id").GetString());
        Assert.Equal(("1001", "spring", "outbound", "off"), (listed.GetProperty("agent").GetString(), listed.GetProperty("campaign").GetString(), listed.GetProperty("direction").GetString(), listed.GetProperty("recording").GetString()));
        Assert.DoesNotContain("612345678", steps["list"].Body.GetRawText(), StringComparison.Ordinal);

        // Start by the agent's extension: done; asked again: already so, not an error.
        Assert.Equal(HttpStatusCode.OK, steps["start"].Status);
        Assert.True(steps["start"].Body.GetProperty("changed").GetBoolean());
        Assert.Equal("recording", steps["start"].Body.GetProperty("recording").GetString());
        Assert.Equal(HttpStatusCode.OK, steps["start-again"].Status);
        Assert.False(steps["start-again"].Body.GetProperty("changed").GetBoolean());
        Assert.Equal("recording", steps["get"].Body.GetProperty("recording").GetString());

        // A client scoped to another agent neither sees the call nor acts on it.
        Assert.Equal(0, steps["scoped-list"].Body.GetProperty("calls").GetArrayLength());
        Assert.Equal(HttpStatusCode.NotFound, steps["scoped-get"].Status);
        Assert.Equal(HttpStatusCode.NotFound, steps["scoped-act"].Status);

        // The recording made on the API's word, from then to the end of the call: under the 4 s
        // the agent talks after the answer, plus the time a busy test host takes to end it.
        RecordingResult result = Assert.Single(finished);
        Assert.Equal(("spring:on-demand", call.Id), (result.RuleId, result.CallId));
        Assert.InRange(result.Duration.TotalSeconds, 1.5, 5.5);
        Assert.Contains($"API client crm: start recording of call {call.Id} (agent 1001): done, recording recording", apiLog, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheCrmPausesResumesThenRecordsTheProspectsRefusalAndNothingAfterwardApplies()
    {
        await using var h = CallHarness.Start(recording: OnDemand with { Mode = RecordingMode.Always }, adjust: ApiTests.WithApi);
        var (call, steps, finished, apiLog) = await RunWithCrmAsync(h, talkMs: 5000, RefuseAsCrmAsync);

        (HttpStatusCode, bool, string) Outcome(string step) =>
            (steps[step].Status, steps[step].Body.GetProperty("changed").GetBoolean(), steps[step].Body.GetProperty("recording").GetString()!);
        Assert.Equal((HttpStatusCode.OK, true, "paused"), Outcome("pause"));
        Assert.Equal((HttpStatusCode.OK, false, "paused"), Outcome("pause-again"));
        Assert.Equal((HttpStatusCode.OK, true, "recording"), Outcome("resume"));
        Assert.Equal((HttpStatusCode.OK, true, "refused"), Outcome("oppose"));
        Assert.Equal((HttpStatusCode.OK, false, "refused"), Outcome("oppose-again"));
        Assert.Equal((HttpStatusCode.Conflict, false, "refused"), Outcome("start-after"));
        Assert.Equal((HttpStatusCode.Conflict, false, "refused"), Outcome("resume-after"));

        // The refusal is the agent's (the CRM speaks for the agent); no audio is left.
        RecordingResult refused = finished.Last();
        Assert.Equal(CallSwitch.Compliance.Storage.OppositionSource.Agent, refused.Opposition?.By);
        Assert.Null(refused.FilePath);
        Assert.Empty(Directory.GetFiles(h.SpoolPath!, "*", SearchOption.AllDirectories));
        Assert.Equal(CallEnd.AgentHungUp, call.EndReason);
        Assert.Contains($"API client crm: oppose recording of call {call.Id} (agent 1001): done, recording refused", apiLog, StringComparison.Ordinal);
    }

    /// <summary>
    /// Runs a call through <paramref name="h"/> (SIPp agent and trunk; its switch serves the API); once the call
    /// is answered <paramref name="crm"/> acts on it over HTTP and records each step's answer.
    /// </summary>
    private static async Task<(B2buaCall Call, Dictionary<string, (string Step, HttpStatusCode Status, JsonElement Body)> Steps, RecordingResult[] Finished, string ApiLog)> RunWithCrmAsync(
        CallHarness h,
        int talkMs,
        Func<HttpClient, B2buaCall, ConcurrentQueue<(string, HttpStatusCode, JsonElement)>, Task> crm)
    {
        using (HttpClient http = ApiTests.Client(h.Switch))
        {
            var finished = new ConcurrentQueue<RecordingResult>();
            h.Switch.Host.Recordings!.Finished += finished.Enqueue;
            var seen = new ConcurrentQueue<(string Step, HttpStatusCode Status, JsonElement Body)>();
            Task? acting = null;

            var (agent, trunk) = await h.RunAsync(
                "trunk-answer",
                agentHangup: "agent-bye",
                trunkHangup: "trunk-wait-bye",
                talkMs: talkMs,
                onAnswered: call => acting = crm(http, call, seen));

            Assert.True(agent.ExitCode == 0, "agent: " + agent + "\n--- switch log ---\n" + h.Switch.Log);
            Assert.True(trunk.ExitCode == 0, "trunk: " + trunk + "\n--- switch log ---\n" + h.Switch.Log);
            await (acting ?? throw new InvalidOperationException("the call was never answered\n" + h.Switch.Log));
            B2buaCall answered = h.LastCall!;
            await answered.Completion.WaitAsync(TimeSpan.FromSeconds(5));
            return (answered, seen.ToDictionary(s => s.Step), [.. finished], h.Switch.Log);
        }
    }

    private static async Task RefuseAsCrmAsync(HttpClient http, B2buaCall call, ConcurrentQueue<(string, HttpStatusCode, JsonElement)> seen)
    {
        // The recording starts once the 1 s notice has played.
        for (int i = 0; i < 300 && call.Recording?.State != RecordingState.Recording; i++)
        {
            await Task.Delay(10);
        }

        foreach (string step in new[] { "pause", "pause-again", "resume", "oppose", "oppose-again", "start-after", "resume-after" })
        {
            string action = step.Split('-')[0];
            var (status, body) = await ApiTests.SendAsync(http, ApiTests.Request(HttpMethod.Post, $"api/v1/calls/{call.Id}/recording/{action}"));
            seen.Enqueue((step, status, body));
            await Task.Delay(200);
        }
    }

    private static async Task ActAsCrmAsync(HttpClient http, B2buaCall call, ConcurrentQueue<(string, HttpStatusCode, JsonElement)> seen)
    {
        async Task Step(string name, HttpMethod method, string path, string token = ApiTests.CrmToken)
        {
            var (status, body) = await ApiTests.SendAsync(http, ApiTests.Request(method, path, token));
            seen.Enqueue((name, status, body));
        }

        await Step("list", HttpMethod.Get, "api/v1/calls?agent=1001");
        await Step("scoped-list", HttpMethod.Get, "api/v1/calls", ApiTests.ScopedToken);
        await Step("scoped-get", HttpMethod.Get, $"api/v1/calls/{call.Id}", ApiTests.ScopedToken);
        await Step("scoped-act", HttpMethod.Post, $"api/v1/calls/{call.Id}/recording/start", ApiTests.ScopedToken);
        await Step("start", HttpMethod.Post, "api/v1/agents/1001/recording/start");
        await Step("start-again", HttpMethod.Post, "api/v1/agents/1001/recording/start");
        await Step("get", HttpMethod.Get, $"api/v1/calls/{call.Id}");
    }
}
