using System.Globalization;
using CallSwitch.Compliance.Rules;
using CallSwitch.Configuration;

namespace CallSwitch.Server.SelfTest;

/// <summary>
/// The self-test of one campaign: an isolated switch with the campaign's real rule, notice and
/// access rules (<see cref="IsolatedSwitch"/>), the built-in answering party behind its trunk
/// and two built-in agents; two calls at once (<see cref="TestCalls"/>: the main one, and one
/// whose recording is refused), then the seven checks, one line each.
/// </summary>
internal static class CampaignSelfTest
{
    /// <summary>Runs the calls and the checks, within the budget (<see cref="SelfTestOptions.Budget"/> beyond the notice's length).</summary>
    public static async Task<IReadOnlyList<SelfTestCheck>> RunAsync(SwitchConfig config, CampaignConfig campaign, SelfTestOptions options, CancellationToken cancellationToken)
    {
        IsolatedSwitch isolated;
        try
        {
            isolated = await IsolatedSwitch.StartAsync(config, campaign, agents: 2, options.Policy?.Invoke(new RecordingPolicy())).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or System.Net.Sockets.SocketException
            or Media.Announcements.AnnouncementLoadException or Media.Relay.PortRangeExhaustedException or Microsoft.Data.Sqlite.SqliteException)
        {
            return [new(campaign.Id, 0, "isolated switch", SelfTestOutcome.Fail, "cannot start: " + e.Message.ReplaceLineEndings(" "))];
        }

        await using (isolated.ConfigureAwait(false))
        {
            TimeSpan budget = options.Budget + (isolated.Campaign.Announcement?.Duration ?? TimeSpan.Zero);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(budget);
            var recordings = new RecordingLog(isolated.Host.Recordings);
            await using var carrier = new AnsweringParty(isolated.Network, IsolatedSwitch.CarrierEndPoint, TestCalls.ProspectHz);
            await using var first = new DiallingAgent(isolated.Network, IsolatedSwitch.AgentEndPoint(1), IsolatedSwitch.SwitchEndPoint, isolated.Agents[0]);
            await using var second = new DiallingAgent(isolated.Network, IsolatedSwitch.AgentEndPoint(2), IsolatedSwitch.SwitchEndPoint, isolated.Agents[1]);
            var calls = new TestCalls(isolated, carrier, recordings);
            Task<MainCall> main = calls.MainAsync(first, timeout.Token);
            Task<OppositionCall> opposition = calls.OppositionAsync(second, timeout.Token);
            try
            {
                await Task.WhenAll(main, opposition).ConfigureAwait(false);
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                // Both calls have finished (WhenAll waits for each); said below.
            }

            if (!main.IsCompletedSuccessfully || !opposition.IsCompletedSuccessfully)
            {
                string seconds = budget.TotalSeconds.ToString("0", CultureInfo.InvariantCulture);
                string reason = main.IsCanceled || opposition.IsCanceled
                    ? $"not done within {seconds} s: {calls.Stage}"
                    : string.Join("; ", new Task[] { main, opposition }.Where(t => t.IsFaulted).Select(t => t.Exception!.InnerException!.Message).Distinct());
                return [new(campaign.Id, 0, "test calls", SelfTestOutcome.Fail, reason)];
            }

            MainCall done = await main.ConfigureAwait(false);
            OppositionCall refused = await opposition.ConfigureAwait(false);
            var recording = new RecordingChecks(campaign.Id, campaign.Recording, isolated, done);
            return
            [
                NoticeCheck.Judge(campaign.Id, isolated.Campaign, done.Prospect),
                recording.Exists(refused),
                recording.Channels(),
                recording.Pause(),
                recording.Opposition(refused),
                recording.Retention(),
                await ListeningCheck.JudgeAsync(campaign.Id, campaign, isolated, done, timeout.Token).ConfigureAwait(false),
            ];
        }
    }
}
