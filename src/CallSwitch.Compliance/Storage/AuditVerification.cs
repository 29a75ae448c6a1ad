namespace CallSwitch.Compliance.Storage;

/// <summary>What <c>audit verify</c> found.</summary>
/// <param name="Entries">Entries read.</param>
/// <param name="UnchainedEntries">Entries written before the chain existed (schema before the chain's migration), not covered.</param>
/// <param name="Head">The last entry's anchor, if the log has a chained entry.</param>
/// <param name="FirstBadSequence">The first entry found wrong (changed, missing, inserted, out of order, or cut off); null when the chain holds.</param>
/// <param name="Problem">What is wrong with it.</param>
public sealed record AuditVerification(long Entries, long UnchainedEntries, AuditAnchor? Head, long? FirstBadSequence, string? Problem)
{
    /// <summary>Whether the chain holds (and reaches every anchor given).</summary>
    public bool Intact => FirstBadSequence is null;
}
