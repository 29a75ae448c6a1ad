using System.Diagnostics;
using System.Globalization;
using CallSwitch.Configuration;
using CallSwitch.Server.SelfTest;

namespace CallSwitch.Server.Cli;

/// <summary>
/// <c>callswitch selftest [--campaign C]</c>: for each campaign (or the one named), test calls
/// through an isolated switch with the campaign's real rules, the trunk replaced by a built-in
/// answering party (<see cref="CampaignSelfTest"/>); one line per check, exit 1 on any failure.
/// Never touches the configured store, spool or keys, and never reaches a real trunk.
/// </summary>
internal static class SelfTestCommand
{
    /// <summary>Runs the self-test; 0 when every check passed, 1 when one failed, 2 on a bad configuration or campaign.</summary>
    public static Task<int> RunAsync(string? configPath, string? campaign, Func<string?, ConfigLoadResult> load, TextWriter output, TextWriter error, CancellationToken cancellationToken) =>
        RunAsync(configPath, campaign, load, output, error, new SelfTestOptions(), cancellationToken);

    /// <summary>As the command does, with a test build's <paramref name="options"/> (the fault seam).</summary>
    internal static async Task<int> RunAsync(
        string? configPath,
        string? campaign,
        Func<string?, ConfigLoadResult> load,
        TextWriter output,
        TextWriter error,
        SelfTestOptions options,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (StoreCommand.LoadConfig(configPath, load, error) is not { } config)
        {
            return 2;
        }

        IReadOnlyList<CampaignConfig> campaigns = config.Campaigns;
        if (campaign is not null)
        {
            if (config.FindCampaign(campaign) is not { } named)
            {
                string known = config.Campaigns.Count == 0 ? "none" : string.Join(", ", config.Campaigns.Select(c => c.Id));
                error.WriteLine($"--campaign: no campaign {campaign} in the configuration (campaigns: {known})");
                return 2;
            }

            campaigns = [named];
        }

        if (campaigns.Count == 0)
        {
            error.WriteLine("the configuration has no campaign to test");
            return 2;
        }

        var clock = Stopwatch.StartNew();
        int checks = 0;
        int failed = 0;
        foreach (CampaignConfig tested in campaigns)
        {
            foreach (SelfTestCheck check in await CampaignSelfTest.RunAsync(config, tested, options, cancellationToken).ConfigureAwait(false))
            {
                output.WriteLine(check.ToString());
                checks++;
                failed += check.Outcome == SelfTestOutcome.Fail ? 1 : 0;
            }
        }

        string seconds = clock.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);
        output.WriteLine($"selftest: {campaigns.Count} campaign(s), {checks} check(s), {failed} failed ({seconds} s; isolated switches, no real call placed)");
        return failed == 0 ? 0 : 1;
    }
}
