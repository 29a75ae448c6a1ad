namespace CallSwitch.Compliance.Erasure;

/// <summary>Signs deletion receipts; the signature is detached from the document.</summary>
public interface IErasureReceiptSigner
{
    /// <summary>Serialises the receipt and signs the bytes.</summary>
    SignedErasureReceipt Sign(ErasureReceipt receipt);
}
