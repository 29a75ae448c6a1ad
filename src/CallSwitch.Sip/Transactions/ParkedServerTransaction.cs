using CallSwitch.Sip.Messages;
using CallSwitch.Sip.Transport;

namespace CallSwitch.Sip.Transactions;

/// <summary>
/// What a server transaction keeps in the table while it waits out its terminal timer (INVITE:
/// Accepted, Timer L, RFC 6026 §7.1, and Confirmed, Timer I; non-INVITE: Completed, Timer J,
/// RFC 3261 §17.2.2): only what those states do with a message that still matches it. A
/// retransmitted request gets the last response again (Completed) or is absorbed; an ACK goes to
/// the TU (Accepted) or is absorbed; a CANCEL of the INVITE gets a 200 with its To tag.
/// </summary>
/// <remarks>
/// Why: those waits last 64·T1 (32 s) over UDP, while the TU is done with the transaction within
/// the call (a second, at set-up rates). Kept whole, each waiting transaction held its request and
/// response, parsed (~6 KB): ~300 MB of live heap at 1,000 call set-ups per second, which every
/// collection had to mark or copy (bench/notes/2026-12-07-call-setup-profile.md).
/// </remarks>
internal sealed class ParkedServerTransaction : ParkedTransaction
{
    private readonly SipResponse? _resend;
    private readonly bool _acksToUser;

    /// <param name="layer">The layer whose table holds it.</param>
    /// <param name="transaction">The transaction parked.</param>
    /// <param name="resend">The response a retransmitted request gets again; null to absorb it.</param>
    /// <param name="acksToUser">Whether an ACK that matches goes to the TU (INVITE, Accepted) or is absorbed.</param>
    /// <param name="inviteLocalTag">For an INVITE, the To tag of the 200 to a late CANCEL (RFC 3261 §9.2).</param>
    public ParkedServerTransaction(SipTransactionLayer layer, SipTransaction transaction, SipResponse? resend, bool acksToUser, string? inviteLocalTag)
        : base(layer, transaction)
    {
        Flow = transaction.Flow;
        _resend = resend;
        _acksToUser = acksToUser;
        InviteLocalTag = inviteLocalTag;
    }

    /// <summary>The flow the request came on.</summary>
    public SipFlow Flow { get; }

    /// <summary>An INVITE's To tag (for the 200 to a CANCEL that comes after the final response); null for other methods.</summary>
    public string? InviteLocalTag { get; }

    /// <summary>The request arrived again (§17.2.1, §17.2.2). Called on a transport thread.</summary>
    public void OnRequestRetransmission()
    {
        if (_resend is not null)
        {
            _ = ResendAsync(_resend);
        }
    }

    /// <summary>An ACK matched (RFC 6026 §7.1: to the TU in Accepted; §17.2.1: absorbed in Confirmed).</summary>
    public void OnAck(SipRequest ack)
    {
        if (_acksToUser)
        {
            Layer.InvokeUser(() => Layer.User.OnAck(ack, Flow));
        }
    }

    private async Task ResendAsync(SipResponse response)
    {
        try
        {
            await Layer.Transport.SendResponseAsync(response, Flow).ConfigureAwait(false);
        }
        catch (Exception ex) when (SipTransaction.IsTransportFailure(ex))
        {
            EndWithTransportError(ex);
        }
    }
}
