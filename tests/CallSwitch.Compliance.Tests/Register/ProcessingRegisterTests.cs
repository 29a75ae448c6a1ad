using System.Text.Json;
using CallSwitch.Compliance.Access;
using CallSwitch.Compliance.Register;
using CallSwitch.Compliance.Rules;

namespace CallSwitch.Compliance.Tests.Register;

public class ProcessingRegisterTests
{
    private static readonly RecordingRule Spring = new()
    {
        CampaignId = "spring",
        Mode = RecordingMode.Sample,
        SamplePercent = 20,
        Purposes = ["training", "quality"],
        LegalBasis = LegalBasis.LegitimateInterest,
        RetentionDays = 90,
    };

    [Fact]
    public void A_recorded_campaign_gets_its_purposes_basis_retention_recipients_and_measures()
    {
        ProcessingRecord record = Assert.Single(ProcessingRegister.Build(
            [(Spring, "Spring sale"), (new RecordingRule { CampaignId = "quiet" }, "Never recorded")],
            [new CampaignAccess { CampaignId = "spring", Purposes = Spring.Purposes }]));

        Assert.Equal("sample of 20 % of calls", record.Mode);
        Assert.Equal(["training", "quality"], record.Purposes);
        Assert.Equal("legitimate interest (Art. 6(1)(f))", record.LegalBasis);
        Assert.StartsWith("90 days from the start of the recording", record.Retention, StringComparison.Ordinal);
        Assert.Equal(
            ["supervisor (anonymised extracts only)", "quality (listens)", "manager (listens)", "dpo (listens only within a data-subject request, downloads)"],
            record.Recipients);
        Assert.Contains(record.SecurityMeasures, m => m.Contains("hash-chained", StringComparison.Ordinal));
    }

    [Fact]
    public void What_a_campaign_grants_shows_in_its_recipients()
    {
        var generous = new CampaignAccess { CampaignId = "spring", AgentsListen = true, ListenRoles = new HashSet<Role> { Role.Supervisor, Role.Quality, Role.Manager }, DownloadRoles = new HashSet<Role> { Role.Dpo, Role.Quality } };

        ProcessingRecord record = Assert.Single(ProcessingRegister.Build([(Spring, "Spring")], [generous]));

        Assert.Equal(
            ["agent (their own calls)", "supervisor (listens)", "quality (listens, downloads)", "manager (listens)", "dpo (listens only within a data-subject request, downloads)"],
            record.Recipients);
    }

    [Fact]
    public void Markdown_and_json_carry_the_same_records()
    {
        IReadOnlyList<ProcessingRecord> records = ProcessingRegister.Build([(Spring, "Spring sale")], []);

        string markdown = ProcessingRegister.ToMarkdown(records);
        using JsonDocument json = JsonDocument.Parse(ProcessingRegister.ToJson(records));

        Assert.Contains("## Spring sale (`spring`)", markdown, StringComparison.Ordinal);
        Assert.Contains("- **Purposes**: training; quality", markdown, StringComparison.Ordinal);
        Assert.Equal("spring", json.RootElement[0].GetProperty("campaign_id").GetString());
        Assert.Equal(4, json.RootElement[0].GetProperty("recipients").GetArrayLength());
        Assert.Contains("No campaign records calls.", ProcessingRegister.ToMarkdown([]), StringComparison.Ordinal);
    }
}
