using CallSwitch.Compliance.Rules;

namespace CallSwitch.Compliance.Tests.Rules;

public class CnilAdviceTests
{
    [Fact]
    public void Systematic_recording_for_training_is_flagged_with_its_reason()
    {
        var rule = new RecordingRule { CampaignId = "spring", Mode = RecordingMode.Always, Purposes = ["training", "appointment validation"], RetentionDays = 90 };

        string warning = Assert.Single(CnilAdvice.For(rule));

        Assert.StartsWith("campaign spring records every call (mode always) for training: the CNIL excludes systematic recording", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void More_than_six_months_for_quality_is_flagged()
    {
        var rule = new RecordingRule { CampaignId = "q", Mode = RecordingMode.Sample, SamplePercent = 10, Purposes = ["Quality of service"], RetentionDays = 184 };

        Assert.Equal(
            ["campaign q keeps recordings 184 days for Quality of service: the CNIL recommends at most 6 months (183 days) for these purposes"],
            CnilAdvice.For(rule));
    }

    [Theory]
    [InlineData(RecordingMode.Sample, "training", 183)]
    [InlineData(RecordingMode.OnDemand, "évaluation", 90)]
    [InlineData(RecordingMode.Always, "proof of contract", 365)]
    public void Proportionate_rules_and_other_purposes_get_no_warning(RecordingMode mode, string purpose, int days)
    {
        var rule = new RecordingRule { CampaignId = "c", Mode = mode, SamplePercent = mode == RecordingMode.Sample ? 20 : null, Purposes = [purpose], RetentionDays = days };

        Assert.Empty(CnilAdvice.For(rule));
    }
}
