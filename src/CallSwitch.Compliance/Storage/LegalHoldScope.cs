namespace CallSwitch.Compliance.Storage;

/// <summary>What a legal hold covers.</summary>
public enum LegalHoldScope
{
    /// <summary>One recording.</summary>
    Recording,

    /// <summary>Every recording of one call.</summary>
    Call,

    /// <summary>Every recording of one phone number, future ones included (the number is kept as its keyed hash only).</summary>
    Number,

    /// <summary>Every recording of one campaign, future ones included.</summary>
    Campaign,

    /// <summary>Every recording started in a date range.</summary>
    Period,
}
