namespace CallSwitch.Compliance.Rules;

/// <summary>
/// Practices the CNIL flags in workplace call recording (../shared/COMPLIANCE-NOTES.md), as
/// warnings for <c>config check</c>: not errors, since the customer's DPO decides (a legal text
/// may require systematic recording), but each visible with its reason.
/// </summary>
public static class CnilAdvice
{
    /// <summary>Days beyond which a training, evaluation or quality recording is kept too long (6 months).</summary>
    public const int MaxRetentionDays = 183;

    private static readonly string[] WorkplacePurposes = ["training", "formation", "evaluation", "évaluation", "quality", "qualité"];

    /// <summary>The warnings for one campaign's rule; empty when it follows the CNIL's recommendations.</summary>
    public static IReadOnlyList<string> For(RecordingRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        string[] workplace = rule.Purposes.Where(IsWorkplacePurpose).ToArray();
        if (workplace.Length == 0)
        {
            return [];
        }

        var warnings = new List<string>();
        string purposes = string.Join(", ", workplace);
        if (rule.Mode == RecordingMode.Always)
        {
            warnings.Add(
                $"campaign {rule.CampaignId} records every call (mode always) for {purposes}: the CNIL excludes systematic recording " +
                "for training, evaluation and quality (outside a legal text requiring it); sample or on-demand are the proportionate modes");
        }

        if (rule.RetentionDays is > MaxRetentionDays and { } days)
        {
            warnings.Add(
                $"campaign {rule.CampaignId} keeps recordings {days} days for {purposes}: the CNIL recommends at most 6 months ({MaxRetentionDays} days) for these purposes");
        }

        return warnings;
    }

    private static bool IsWorkplacePurpose(string purpose) =>
        WorkplacePurposes.Any(p => purpose.Contains(p, StringComparison.OrdinalIgnoreCase));
}
