using System.Text;
using System.Text.Json;
using CallSwitch.Compliance.Access;
using CallSwitch.Compliance.Rules;

namespace CallSwitch.Compliance.Register;

/// <summary>
/// The GDPR Art. 30 record of processing for call recording, derived from the configuration (the
/// campaigns' rules) and the access model (who may hear): written as Markdown for people and JSON
/// for tools. Campaigns that never record are left out: nothing is processed for them.
/// </summary>
public static class ProcessingRegister
{
    /// <summary>The security measures every recording gets, whatever the campaign.</summary>
    public static IReadOnlyList<string> SecurityMeasures { get; } =
    [
        "audio encrypted at rest (AES-256-GCM, one key per recording, keys wrapped by a master key; erasure destroys the key)",
        "no plain audio on disk: listening decrypts on the fly; downloads are a separate right (dpo only by default) and watermarked",
        "every access, search, export, hold, erasure, login and denied action in an append-only, hash-chained audit log with external anchors",
        "access by role and scope (least privilege), a purpose required to listen",
        "phone numbers never written in clear in the logs",
    ];

    /// <summary>The records of the recorded campaigns.</summary>
    /// <param name="campaigns">Each campaign's rule with its readable name.</param>
    /// <param name="access">The campaigns' access rules (those missing get the defaults).</param>
    public static IReadOnlyList<ProcessingRecord> Build(IEnumerable<(RecordingRule Rule, string Name)> campaigns, IEnumerable<CampaignAccess> access)
    {
        ArgumentNullException.ThrowIfNull(campaigns);
        ArgumentNullException.ThrowIfNull(access);
        var byCampaign = access.ToDictionary(a => a.CampaignId, StringComparer.Ordinal);
        return campaigns
            .Where(c => c.Rule.Records)
            .Select(c => Record(c.Rule, c.Name, byCampaign.GetValueOrDefault(c.Rule.CampaignId) ?? CampaignAccess.FromRule(c.Rule)))
            .ToList();
    }

    /// <summary>The register as Markdown.</summary>
    public static string ToMarkdown(IReadOnlyList<ProcessingRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var text = new StringBuilder();
        text.AppendLine("# Record of processing activities (GDPR Art. 30): call recording").AppendLine();
        if (records.Count == 0)
        {
            text.AppendLine("No campaign records calls.");
        }

        foreach (ProcessingRecord r in records)
        {
            text.AppendLine($"## {r.CampaignName} (`{r.CampaignId}`)").AppendLine();
            text.AppendLine($"- **Recording**: {r.Mode}");
            text.AppendLine($"- **Purposes**: {string.Join("; ", r.Purposes)}");
            text.AppendLine($"- **Legal basis**: {r.LegalBasis}");
            text.AppendLine($"- **Categories**: {string.Join("; ", r.Categories)}");
            text.AppendLine($"- **Recipients**: {string.Join("; ", r.Recipients)}");
            text.AppendLine($"- **Retention**: {r.Retention}");
            text.AppendLine("- **Security measures**:");
            foreach (string measure in r.SecurityMeasures)
            {
                text.AppendLine($"  - {measure}");
            }

            text.AppendLine();
        }

        return text.ToString();
    }

    /// <summary>The register as indented JSON (snake_case names).</summary>
    public static string ToJson(IReadOnlyList<ProcessingRecord> records) =>
        JsonSerializer.Serialize(records, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower });

    private static ProcessingRecord Record(RecordingRule rule, string name, CampaignAccess access)
    {
        var recipients = new List<string>();
        foreach (Role role in RoleNames.All)
        {
            bool listens = Authorizer.RoleMay(role, AccessAction.Stream) && access.Hears(role);
            bool extracts = Authorizer.RoleMay(role, AccessAction.Extract) && access.Extracts(role);
            if (!listens && !extracts)
            {
                continue;
            }

            string what = listens ? "listens" : "anonymised extracts only";
            if (role == Role.Dpo)
            {
                what = "listens only within a data-subject request";
            }
            else if (role == Role.Agent)
            {
                what = "their own calls";
            }

            bool downloads = listens && access.DownloadRoles.Contains(role);
            recipients.Add($"{RoleNames.ToCode(role)} ({what}{(downloads ? ", downloads" : string.Empty)})");
        }

        return new ProcessingRecord
        {
            CampaignId = rule.CampaignId,
            CampaignName = name,
            Mode = rule.Mode == RecordingMode.Sample ? $"sample of {rule.SamplePercent} % of calls" : rule.Mode == RecordingMode.Always ? "every call" : "on the agent's demand",
            Purposes = rule.Purposes,
            LegalBasis = rule.LegalBasis switch
            {
                Rules.LegalBasis.Consent => "consent (Art. 6(1)(a))",
                Rules.LegalBasis.Contract => "contract (Art. 6(1)(b))",
                Rules.LegalBasis.LegalObligation => "legal obligation (Art. 6(1)(c))",
                Rules.LegalBasis.LegitimateInterest => "legitimate interest (Art. 6(1)(f))",
                _ => "not stated",
            },
            Categories =
            [
                "persons called (prospects, customers): phone number, voice, what is said; the notice played to them",
                "employees (agents): extension, voice, what is said, pauses and oppositions",
                "call metadata: times, campaign, duration",
            ],
            Recipients = recipients,
            Retention = rule.RetentionDays is { } days
                ? $"{days} days from the start of the recording, then the key is destroyed and the file deleted (a legal hold suspends it)"
                : "not stated",
            SecurityMeasures = SecurityMeasures,
        };
    }
}
