using CallSwitch.Compliance.Rules;

namespace CallSwitch.Configuration.Tests;

/// <summary>A campaign's 'recording' section is read straight into the rule calls apply.</summary>
public class RecordingSectionTests
{
    [Fact]
    public void TheRuleCarriesTheCampaignsRecordingSection()
    {
        string yaml = ConfigYaml.With("sample_percent: 25", "sample_percent: 10")
            .Replace("max_minutes: 60", "max_minutes: 30", StringComparison.Ordinal)
            .Replace("legal_basis: legitimate-interest", "legal_basis: consent", StringComparison.Ordinal)
            .Replace("retention_days: 30", "retention_days: 90", StringComparison.Ordinal);

        var (config, errors) = ConfigYaml.Load(yaml);

        Assert.Empty(errors);
        RecordingRule rule = config!.FindCampaign("fr-sales")!.Recording;
        Assert.Equal("fr-sales", rule.CampaignId);
        Assert.Equal(RecordingMode.Sample, rule.Mode);
        Assert.Equal(10, rule.SamplePercent);
        Assert.False(rule.RecordAnnouncement);
        Assert.Equal(TimeSpan.FromMinutes(30), rule.MaxDuration);
        Assert.Equal(["training", "quality"], rule.Purposes);
        Assert.Equal(LegalBasis.Consent, rule.LegalBasis);
        Assert.Equal(90, rule.RetentionDays);
    }

    [Fact]
    public void TheRuleCarriesTheKeysOfItsSection()
    {
        string yaml = ConfigYaml.With("pause: \"*7\"", "pause: \"#1\"")
            .Replace("resume: \"*8\"", "resume: \"#2\"", StringComparison.Ordinal)
            .Replace("opposition: \"*99\"", "opposition: \"#9\"", StringComparison.Ordinal);

        var (config, errors) = ConfigYaml.Load(yaml);

        Assert.Empty(errors);
        RecordingRule rule = config!.FindCampaign("fr-sales")!.Recording;
        Assert.Equal(new DtmfKeys { Pause = "#1", Resume = "#2", Start = "#3", Opposition = "#9" }, rule.Keys);
        Assert.Equal('9', rule.ProspectOppositionKey);
    }

    [Fact]
    public void ACampaignWithoutARecordingSectionHasARuleThatRecordsNothing()
    {
        var (config, errors) = ConfigYaml.Load(ConfigYaml.Valid);

        Assert.Empty(errors);
        RecordingRule rule = config!.FindCampaign("uk-sales")!.Recording;
        Assert.Equal(("uk-sales:never", false), (rule.Id, rule.Records));
    }
}
