namespace CallSwitch.Compliance.Rules;

/// <summary>The GDPR Art. 6(1) lawful basis of a campaign's recordings.</summary>
public enum LegalBasis
{
    /// <summary>Art. 6(1)(a).</summary>
    Consent,

    /// <summary>Art. 6(1)(f).</summary>
    LegitimateInterest,

    /// <summary>Art. 6(1)(b).</summary>
    Contract,

    /// <summary>Art. 6(1)(c).</summary>
    LegalObligation,
}
