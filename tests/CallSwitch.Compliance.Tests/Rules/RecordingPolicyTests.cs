using CallSwitch.Compliance.Rules;

namespace CallSwitch.Compliance.Tests.Rules;

public class RecordingPolicyTests
{
    private static RecordingRule Rule(RecordingMode mode, int percent = 0) => new() { CampaignId = "spring", Mode = mode, SamplePercent = percent };

    [Fact]
    public void AlwaysRecordsFromTheAnswerNeverRecordsNothingOnDemandWaits()
    {
        var policy = new RecordingPolicy(new Random(1));
        for (int i = 0; i < 100; i++)
        {
            Assert.Equal(RecordingStart.AtAnswer, policy.Decide(Rule(RecordingMode.Always)).Start);
            Assert.Equal(RecordingStart.Never, policy.Decide(Rule(RecordingMode.Never)).Start);
            Assert.Equal(RecordingStart.OnDemand, policy.Decide(Rule(RecordingMode.OnDemand)).Start);
        }
    }

    [Fact]
    public void SampleRecordsExactlyTheCallsWhoseDrawIsBelowThePercentage()
    {
        var policy = new RecordingPolicy(new Random(42));
        var reference = new Random(42);
        int recorded = 0;
        for (int i = 0; i < 10_000; i++)
        {
            RecordingDecision decision = policy.Decide(Rule(RecordingMode.Sample, 25));
            int draw = reference.Next(100);
            Assert.Equal(draw < 25 ? RecordingStart.AtAnswer : RecordingStart.Never, decision.Start);
            Assert.Contains(draw.ToString(System.Globalization.CultureInfo.InvariantCulture), decision.Reason, StringComparison.Ordinal);
            recorded += decision.Start == RecordingStart.AtAnswer ? 1 : 0;
        }

        Assert.InRange(recorded, 2300, 2700);
    }

    [Fact]
    public void SampleAtZeroAndAHundredPercentIsNeverAndAlways()
    {
        var policy = new RecordingPolicy(new Random(7));
        for (int i = 0; i < 1000; i++)
        {
            Assert.Equal(RecordingStart.Never, policy.Decide(Rule(RecordingMode.Sample, 0)).Start);
            Assert.Equal(RecordingStart.AtAnswer, policy.Decide(Rule(RecordingMode.Sample, 100)).Start);
        }
    }

    [Fact]
    public void TheRuleIdNamesTheCampaignAndTheModeAsConfigured()
    {
        Assert.Equal("spring:always", Rule(RecordingMode.Always).Id);
        Assert.Equal("spring:on-demand", Rule(RecordingMode.OnDemand).Id);
        Assert.Equal("spring:never", Rule(RecordingMode.Never).Id);
        Assert.Equal("spring:sample:25", Rule(RecordingMode.Sample, 25).Id);
    }
}
