using CallSwitch.Compliance.Erasure;

namespace CallSwitch.Compliance.Storage;

/// <summary>The last step of an erasure, written in one transaction.</summary>
/// <param name="RecordingId">The recording.</param>
/// <param name="NumberDigest">The keyed hash of the prospect's number, kept instead of it; null if the row had none.</param>
/// <param name="Audit">The erasure's audit entry (its instant, actor and purpose make the tombstone).</param>
/// <param name="Receipt">The signed deletion receipt.</param>
public sealed record ErasureTombstone(Guid RecordingId, string? NumberDigest, AuditEvent Audit, SignedErasureReceipt Receipt);
