namespace CallSwitch.Compliance.Erasure;

/// <summary>A deletion receipt as issued: the exact bytes signed and the detached signature.</summary>
/// <param name="RecordingId">The recording erased.</param>
/// <param name="SigningKeyId">Which signing key signed it (fingerprint of its public key).</param>
/// <param name="IssuedAt">When it was issued (the erasure's instant).</param>
/// <param name="Document">The receipt, UTF-8 JSON (<see cref="ErasureReceipt.ToDocument"/>).</param>
/// <param name="Signature">ECDSA P-256 over SHA-256 of <paramref name="Document"/>, DER-encoded (what <c>openssl dgst -verify</c> reads).</param>
public sealed record SignedErasureReceipt(Guid RecordingId, string SigningKeyId, DateTimeOffset IssuedAt, byte[] Document, byte[] Signature);
