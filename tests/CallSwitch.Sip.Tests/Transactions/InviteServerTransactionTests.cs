using CallSwitch.Sip.Transactions;
using CallSwitch.Sip.Transport;

namespace CallSwitch.Sip.Tests.Transactions;

public class InviteServerTransactionTests
{
    private readonly TransactionHarness _h = new();

    private InviteServerTransaction ReceiveInvite(SipFlow flow)
    {
        _h.Receive(TransactionHarness.IncomingRequest("INVITE"), flow);
        Assert.True(_h.User.Requests.TryPeek(out var tx));
        return Assert.IsType<InviteServerTransaction>(tx);
    }

    [Fact]
    public void SendsTryingAfter200MsWhenTheTuIsSilent()
    {
        var tx = ReceiveInvite(TransactionHarness.Udp);

        _h.AdvanceMs(199);
        Assert.Empty(_h.Transport.Sent);
        _h.AdvanceMs(1);

        var trying = _h.Transport.Responses(100).Single();
        Assert.Null(trying.To!.Tag);
        Assert.Equal("z9hG4bKpeer1", trying.TopVia!.Branch);
        Assert.Equal(TransactionHarness.Udp, _h.Transport.Sent.Single().Flow);
        Assert.Equal(TransactionState.Proceeding, tx.State);
    }

    [Fact]
    public async Task NoTryingWhenTheTuAnswersWithin200Ms()
    {
        var tx = ReceiveInvite(TransactionHarness.Udp);
        _h.AdvanceMs(100);
        await tx.SendResponseAsync(tx.CreateResponse(180));

        _h.AdvanceMs(1000);

        Assert.Empty(_h.Transport.Responses(100));
        var ringing = _h.Transport.Responses(180).Single();
        Assert.Equal(tx.LocalTag, ringing.To!.Tag);
    }

    [Fact]
    public async Task RetransmittedInviteGetsTheLastProvisionalAgain()
    {
        var tx = ReceiveInvite(TransactionHarness.Udp);
        await tx.SendResponseAsync(tx.CreateResponse(180));

        _h.Receive(TransactionHarness.IncomingRequest("INVITE"), TransactionHarness.Udp);
        _h.Receive(TransactionHarness.IncomingRequest("INVITE"), TransactionHarness.Udp);

        Assert.Single(_h.User.Requests);
        Assert.Equal(3, _h.Transport.Responses(180).Count);
    }

    [Fact]
    public void RetransmittedInviteGetsTheAutomaticTrying()
    {
        ReceiveInvite(TransactionHarness.Udp);
        _h.AdvanceMs(200);

        _h.Receive(TransactionHarness.IncomingRequest("INVITE"), TransactionHarness.Udp);

        Assert.Equal(2, _h.Transport.Responses(100).Count);
    }

    [Theory]
    [InlineData(SipProtocol.Udp, 11)]
    [InlineData(SipProtocol.Tcp, 1)]
    public async Task TimerGRetransmitsTheFinalAndTimerHGivesUp(SipProtocol protocol, int expectedSends)
    {
        var flow = protocol == SipProtocol.Udp ? TransactionHarness.Udp : TransactionHarness.Tcp;
        var tx = ReceiveInvite(flow);
        await tx.SendResponseAsync(tx.CreateResponse(486));
        Assert.Equal(TransactionState.Completed, tx.State);

        // RFC 3261 §17.2.1: G at 0.5, 1.5, 3.5, 7.5, 11.5 … 31.5 s (capped at T2), H at 32 s.
        _h.AdvanceMs(31_999);
        Assert.Equal(expectedSends, _h.Transport.Responses(486).Count);
        Assert.Equal(TransactionState.Completed, tx.State);

        _h.AdvanceMs(1);
        Assert.Equal(TransactionState.Terminated, tx.State);
        Assert.Equal(TransactionTerminationReason.Timeout, tx.TerminationReason);
        Assert.Equal(0, _h.Layer.Count);
    }

    [Fact]
    public async Task RetransmittedInviteInCompletedGetsTheFinal()
    {
        var tx = ReceiveInvite(TransactionHarness.Tcp);
        await tx.SendResponseAsync(tx.CreateResponse(404));

        _h.Receive(TransactionHarness.IncomingRequest("INVITE"), TransactionHarness.Tcp);

        Assert.Equal(2, _h.Transport.Responses(404).Count);
    }

    [Theory]
    [InlineData(SipProtocol.Udp, 5000)]
    [InlineData(SipProtocol.Tcp, 0)]
    public async Task AckMovesToConfirmedAndTimerIEnds(SipProtocol protocol, int timerIMs)
    {
        var flow = protocol == SipProtocol.Udp ? TransactionHarness.Udp : TransactionHarness.Tcp;
        var tx = ReceiveInvite(flow);
        await tx.SendResponseAsync(tx.CreateResponse(486));
        _h.AdvanceMs(600); // one Timer G retransmission over UDP
        int sentBeforeAck = _h.Transport.Responses(486).Count;

        _h.Receive(TransactionHarness.IncomingRequest("ACK", toTag: tx.LocalTag), flow);

        Assert.Empty(_h.User.Acks);
        if (timerIMs > 0)
        {
            Assert.Equal(TransactionState.Confirmed, tx.State);
            _h.Receive(TransactionHarness.IncomingRequest("ACK", toTag: tx.LocalTag), flow);
            _h.AdvanceMs(timerIMs - 1);
            Assert.Equal(TransactionState.Confirmed, tx.State);
            _h.AdvanceMs(1);
        }

        Assert.Equal(TransactionState.Terminated, tx.State);
        Assert.Equal(TransactionTerminationReason.Normal, tx.TerminationReason);
        Assert.Equal(sentBeforeAck, _h.Transport.Responses(486).Count);
        Assert.Empty(_h.User.Acks);
        Assert.Equal(0, _h.Layer.Count);
    }

    [Fact]
    public async Task SuccessEntersAcceptedWhereTheTuRetransmitsAndReceivesAcksUntilTimerL()
    {
        var tx = ReceiveInvite(TransactionHarness.Udp);
        await tx.SendResponseAsync(tx.CreateResponse(200));
        Assert.Equal(TransactionState.Accepted, tx.State);

        // RFC 6026 §7.1: INVITE retransmissions are absorbed, the TU retransmits the 2xx.
        _h.Receive(TransactionHarness.IncomingRequest("INVITE"), TransactionHarness.Udp);
        _h.AdvanceMs(2000);
        Assert.Single(_h.Transport.Responses(200));
        await tx.SendResponseAsync(tx.CreateResponse(200));
        Assert.Equal(2, _h.Transport.Responses(200).Count);
        await Assert.ThrowsAsync<InvalidOperationException>(() => tx.SendResponseAsync(tx.CreateResponse(500)));

        // An ACK matching the transaction in Accepted goes to the TU.
        _h.Receive(TransactionHarness.IncomingRequest("ACK", toTag: tx.LocalTag), TransactionHarness.Udp);
        Assert.Single(_h.User.Acks);

        _h.Advance(TransactionHarness.Timers.SixtyFourT1 - TimeSpan.FromMilliseconds(2001));
        Assert.Equal(TransactionState.Accepted, tx.State);
        _h.AdvanceMs(1);
        Assert.Equal(TransactionState.Terminated, tx.State);
        Assert.Equal(0, _h.Layer.Count);

        // After Timer L the ACK has no transaction: still the TU's.
        _h.Receive(TransactionHarness.IncomingRequest("ACK", toTag: tx.LocalTag), TransactionHarness.Udp);
        Assert.Equal(2, _h.User.Acks.Count);
    }

    [Fact]
    public async Task TransportErrorOnResponseFaultsTheSendAndEndsTheTransaction()
    {
        var tx = ReceiveInvite(TransactionHarness.Tcp);
        _h.Transport.FailWhen = (_, _) => true;

        await Assert.ThrowsAsync<SipTransportException>(() => tx.SendResponseAsync(tx.CreateResponse(180)));

        Assert.Equal(TransactionTerminationReason.TransportError, tx.TerminationReason);
        Assert.Equal(0, _h.Layer.Count);
    }

    [Fact]
    public async Task TransportErrorOnTimerGRetransmissionIsReported()
    {
        var tx = ReceiveInvite(TransactionHarness.Udp);
        var reasons = new List<TransactionTerminationReason>();
        tx.Terminated += t => reasons.Add(t.TerminationReason);
        await tx.SendResponseAsync(tx.CreateResponse(503));
        _h.Transport.FailWhen = (_, _) => true;

        _h.AdvanceMs(500);

        Assert.Equal([TransactionTerminationReason.TransportError], reasons);
        Assert.Equal(0, _h.Layer.Count);
    }
}
