namespace CallSwitch.Compliance.Register;

/// <summary>One entry of the GDPR Art. 30 record of processing: the recording of one campaign's calls.</summary>
public sealed record ProcessingRecord
{
    /// <summary>The campaign.</summary>
    public required string CampaignId { get; init; }

    /// <summary>Its readable name.</summary>
    public required string CampaignName { get; init; }

    /// <summary>When calls are recorded (always, on-demand, sample:N).</summary>
    public required string Mode { get; init; }

    /// <summary>Why (Art. 30(1)(b)).</summary>
    public required IReadOnlyList<string> Purposes { get; init; }

    /// <summary>The lawful basis (Art. 6(1)).</summary>
    public required string LegalBasis { get; init; }

    /// <summary>Categories of data subjects and of personal data (Art. 30(1)(c)).</summary>
    public required IReadOnlyList<string> Categories { get; init; }

    /// <summary>Who may receive the data: the roles that may hear or download (Art. 30(1)(d)).</summary>
    public required IReadOnlyList<string> Recipients { get; init; }

    /// <summary>The time limit for erasure (Art. 30(1)(f)).</summary>
    public required string Retention { get; init; }

    /// <summary>The technical and organisational security measures (Art. 30(1)(g), Art. 32).</summary>
    public required IReadOnlyList<string> SecurityMeasures { get; init; }
}
