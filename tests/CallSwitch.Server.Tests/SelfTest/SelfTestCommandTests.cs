using System.Text.RegularExpressions;
using CallSwitch.Compliance.Rules;
using CallSwitch.Configuration;
using CallSwitch.Server.Cli;
using CallSwitch.Server.SelfTest;
using CallSwitch.TestSupport;

namespace CallSwitch.Server.Tests.SelfTest;

/// <summary>
/// <c>callswitch selftest</c> through its real command body: whole test calls through isolated
/// switches in this process. It passes on the shipped configuration (its real notices), and fails
/// with the precise line on a silent notice and on a switch that records a campaign saying never
/// (a faulty recording policy put in through the test build's seam, never a setting).
/// </summary>
public sealed class SelfTestCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("callswitch-selftest-tests-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task The_shipped_configuration_passes_every_check_of_both_campaigns_without_touching_its_store_or_spool()
    {
        // The embedded configuration with the shipped notices beside it: its paths (../var) resolve
        // into this test's folder, where nothing may appear.
        string config = Path.Combine(_folder, "config", "callswitch.yaml");
        string shipped = Path.Combine(RepositoryRoot.Find(), "config", "announcements");
        Directory.CreateDirectory(Path.Combine(_folder, "config", "announcements"));
        foreach (string wav in Directory.GetFiles(shipped, "*.wav"))
        {
            File.Copy(wav, Path.Combine(_folder, "config", "announcements", Path.GetFileName(wav)));
        }

        await File.WriteAllTextAsync(config, EmbeddedConfig.Text());
        string[] before = IsolatedFolders();

        (int code, string output, string error) = await RunAsync("selftest", "--config", config);

        Assert.True(code == 0 && error.Length == 0, output + error);
        string[] missing = [.. from campaign in new[] { "demo-fr", "demo-en" }
                               from check in Enumerable.Range(1, 7)
                               let line = $"ok   {campaign} {check}. "
                               where !output.Contains(line, StringComparison.Ordinal)
                               select line];
        Assert.True(missing.Length == 0, $"no line {string.Join(", ", missing)} in:\n{output}");

        Assert.Contains("ok   demo-fr 2. recording per the rule: mode always", output, StringComparison.Ordinal);
        Assert.Contains("ok   demo-en 2. recording per the rule: mode on-demand: not recorded until asked", output, StringComparison.Ordinal);
        Assert.Contains("selftest: 2 campaign(s), 14 check(s), 0 failed", output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_folder, "var")), "the configured store or spool was created");
        Assert.True(before.SequenceEqual(IsolatedFolders()), $"isolated folders left: {string.Join(", ", IsolatedFolders().Except(before))}");
    }

    [Fact]
    public async Task A_silent_notice_fails_the_notice_check_with_its_reason()
    {
        string config = ConfigFixture.WriteLocalConfig();
        string notice = Path.Combine(Path.GetDirectoryName(config)!, "announcements", "gdpr-notice-fr.wav");
        TestWav.WriteTone(notice, 440, TimeSpan.FromSeconds(1), amplitude: 0);
        try
        {
            (int code, string output, _) = await RunAsync("selftest", "--campaign", "demo-fr", "--config", config);

            Assert.Equal(1, code);
            string line = Assert.Single(output.Split('\n'), l => l.StartsWith("FAIL", StringComparison.Ordinal)).TrimEnd();
            Assert.StartsWith("FAIL demo-fr 1. notice before the agent: the prospect heard no notice: ", line, StringComparison.Ordinal);
            Assert.EndsWith("below -40 dBFS: the notice file gdpr-notice-fr.wav is silent (-inf dBFS)", line, StringComparison.Ordinal);
            Assert.Contains("selftest: 1 campaign(s), 7 check(s), 1 failed", output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(config)!, recursive: true);
        }
    }

    [Fact]
    public async Task A_switch_recording_a_campaign_that_says_never_fails_the_rule_check_and_the_correct_switch_passes()
    {
        string config = ConfigFixture.WriteLocalConfig(yaml => yaml.Replace("mode: always", "mode: never", StringComparison.Ordinal));
        TestWav.WriteTone(Path.Combine(Path.GetDirectoryName(config)!, "announcements", "gdpr-notice-fr.wav"), 440, TimeSpan.FromSeconds(1));
        try
        {
            (int correct, string passed, _) = await RunAsync(config, new SelfTestOptions());
            (int faulty, string failed, _) = await RunAsync(config, new SelfTestOptions { Policy = inner => new RecordsEveryCall(inner) });

            Assert.True(correct == 0, passed);
            Assert.Contains("ok   demo-fr 2. recording per the rule: mode never: nothing in the spool, the call's row says not recorded", passed, StringComparison.Ordinal);
            Assert.Contains("n/a  demo-fr 5. opposition destroys the audio: nothing recorded on the second call (mode never)", passed, StringComparison.Ordinal);

            Assert.Equal(1, faulty);
            Assert.True(Regex.IsMatch(failed, @"FAIL demo-fr 2\. recording per the rule: the campaign records never, yet recording [0-9a-f]{32} was made \(\d+\.\d s\)"), failed);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(config)!, recursive: true);
        }
    }

    [Fact]
    public async Task An_unknown_campaign_is_refused_in_one_line_before_any_call()
    {
        string config = ConfigFixture.WriteLocalConfig();
        try
        {
            (int code, string output, string error) = await RunAsync("selftest", "--campaign", "nope", "--config", config);

            Assert.Equal(2, code);
            Assert.Empty(output);
            Assert.Equal("--campaign: no campaign nope in the configuration (campaigns: demo-fr, demo-en)", error.TrimEnd());
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(config)!, recursive: true);
        }
    }

    private static string[] IsolatedFolders() =>
        [.. Directory.GetDirectories(Path.GetTempPath(), "callswitch-selftest-*").Where(d => !d.Contains("-tests-", StringComparison.Ordinal)).Order(StringComparer.Ordinal)];

    private static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = await CommandLine.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(string config, SelfTestOptions options)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = await SelfTestCommand.RunAsync(config, "demo-fr", CommandLine.Load, output, error, options, CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>The fault: a policy that records every call, whatever the campaign's mode says.</summary>
    private sealed class RecordsEveryCall(IRecordingPolicy inner) : IRecordingPolicy
    {
        public RecordingDecision Decide(RecordingRule rule) =>
            rule.Mode == RecordingMode.Never ? new RecordingDecision(RecordingStart.AtAnswer, "fault injected by the test") : inner.Decide(rule);
    }
}
