namespace CallSwitch.Compliance.Requests;

/// <summary>What fulfilling a request did, in lines a person reads (the CLI prints them, the console shows them).</summary>
/// <param name="Request">The request, as closed.</param>
/// <param name="Lines">What was done: one line per recording erased or kept (with the hold's reason), per file written.</param>
/// <param name="Receipts">The deletion receipts of the recordings erased now (an erasure's answer).</param>
public sealed record RequestAnswer(SubjectRequest Request, IReadOnlyList<string> Lines, IReadOnlyList<Erasure.SignedErasureReceipt> Receipts);
