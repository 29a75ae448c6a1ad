using CallSwitch.Sip.Messages;

namespace CallSwitch.Sip.Transactions;

/// <summary>
/// What an INVITE client transaction keeps in the table while it waits out Timer M in the
/// Accepted state (RFC 6026 §7.2): every further 2xx (a retransmission of the answer, or another
/// fork's) goes to the TU's <see cref="InviteClientTransaction.AdditionalSuccessResponse"/>
/// handlers as they were when the wait began; any other response is absorbed.
/// </summary>
/// <remarks>
/// Why: the wait lasts 64·T1 (32 s) and the transaction held the INVITE, its answer and their
/// tasks all that time, long after a short call ended (17,697 of them at 900 set-ups per second;
/// bench/notes/2026-12-07-call-setup-profile.md §6).
/// </remarks>
internal sealed class ParkedInviteClientTransaction : ParkedTransaction
{
    private readonly Action<SipResponse>? _additionalSuccess;

    public ParkedInviteClientTransaction(SipTransactionLayer layer, SipTransaction transaction, Action<SipResponse>? additionalSuccess)
        : base(layer, transaction)
    {
        _additionalSuccess = additionalSuccess;
    }

    /// <summary>A response matched (RFC 6026 §7.2). Called on a transport thread.</summary>
    public void OnResponse(SipResponse response)
    {
        if (response.IsSuccess && _additionalSuccess is { } handlers)
        {
            Layer.InvokeUser(() => handlers(response));
        }
    }
}
