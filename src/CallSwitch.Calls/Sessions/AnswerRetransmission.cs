using CallSwitch.Sip.Messages;
using CallSwitch.Sip.Transport;

namespace CallSwitch.Calls.Sessions;

/// <summary>
/// Our 2xx to the caller's INVITE, resent until its ACK (RFC 3261 §13.3.1.4: the UAS core, not
/// the transaction, retransmits a 2xx, and only over an unreliable transport).
/// </summary>
/// <remarks>The ACK may arrive on any transport thread, even before <see cref="Start"/> returns.</remarks>
internal sealed class AnswerRetransmission : IDisposable
{
    private SuccessRetransmitter? _retransmit;
    private bool _acked;

    /// <summary>The caller's ACK came: no more retransmissions.</summary>
    public void OnAck()
    {
        Volatile.Write(ref _acked, true);
        Volatile.Read(ref _retransmit)?.Stop();
    }

    /// <summary>Starts resending <paramref name="answer"/> on <paramref name="flow"/> when it is unreliable; <paramref name="gaveUp"/> after 64·T1 without an ACK.</summary>
    public void Start(CallContext context, CallSender send, SipResponse answer, SipFlow flow, Action gaveUp)
    {
        if (flow.IsReliable)
        {
            return;
        }

        var retransmitter = new SuccessRetransmitter(
            context.Time,
            context.T1,
            context.T2,
            () => send.QuietlyAsync(() => context.Transport.SendResponseAsync(answer, flow).AsTask()),
            gaveUp);
        Volatile.Write(ref _retransmit, retransmitter);

        // The ACK may have come between our 200 and this line (OnAck sets the flag first).
        if (Volatile.Read(ref _acked))
        {
            retransmitter.Stop();
        }
    }

    public void Dispose() => Volatile.Read(ref _retransmit)?.Dispose();
}
