using CallSwitch.Sip.Transactions;
using CallSwitch.Sip.Transport;

namespace CallSwitch.Sip.Tests.Transactions;

public class NonInviteServerTransactionTests
{
    private readonly TransactionHarness _h = new();

    private ServerTransaction ReceiveBye(SipFlow flow)
    {
        _h.Receive(TransactionHarness.IncomingRequest("BYE", toTag: "ourtag"), flow);
        Assert.True(_h.User.Requests.TryPeek(out var tx));
        return Assert.IsType<NonInviteServerTransaction>(tx);
    }

    [Fact]
    public void RetransmissionInTryingIsAbsorbed()
    {
        var tx = ReceiveBye(TransactionHarness.Udp);

        _h.Receive(TransactionHarness.IncomingRequest("BYE", toTag: "ourtag"), TransactionHarness.Udp);
        _h.AdvanceMs(1000);

        Assert.Single(_h.User.Requests);
        Assert.Empty(_h.Transport.Sent);
        Assert.Equal(TransactionState.Trying, tx.State);
        Assert.Equal("ourtag", tx.LocalTag);
    }

    [Fact]
    public async Task RetransmissionInProceedingGetsTheProvisional()
    {
        var tx = ReceiveBye(TransactionHarness.Udp);
        await tx.SendResponseAsync(tx.CreateResponse(100));

        _h.Receive(TransactionHarness.IncomingRequest("BYE", toTag: "ourtag"), TransactionHarness.Udp);

        Assert.Equal(TransactionState.Proceeding, tx.State);
        Assert.Equal(2, _h.Transport.Responses(100).Count);
    }

    [Fact]
    public async Task CompletedResendsTheFinalUntilTimerJ()
    {
        var tx = ReceiveBye(TransactionHarness.Udp);
        await tx.SendResponseAsync(tx.CreateResponse(200));

        _h.Receive(TransactionHarness.IncomingRequest("BYE", toTag: "ourtag"), TransactionHarness.Udp);
        Assert.Equal(2, _h.Transport.Responses(200).Count);
        Assert.Equal("ourtag", _h.Transport.Responses(200)[0].To!.Tag);
        await Assert.ThrowsAsync<InvalidOperationException>(() => tx.SendResponseAsync(tx.CreateResponse(500)));

        _h.Advance(TransactionHarness.Timers.SixtyFourT1 - TimeSpan.FromTicks(1));
        Assert.Equal(TransactionState.Completed, tx.State);
        _h.Advance(TimeSpan.FromTicks(1));
        Assert.Equal(TransactionState.Terminated, tx.State);
        Assert.Equal(0, _h.Layer.Count);

        // A late retransmission is a new request for the TU (§17.2.2).
        _h.Receive(TransactionHarness.IncomingRequest("BYE", toTag: "ourtag"), TransactionHarness.Udp);
        Assert.Equal(2, _h.User.Requests.Count);
    }

    [Fact]
    public async Task TimerJIsZeroOverTcp()
    {
        var tx = ReceiveBye(TransactionHarness.Tcp);

        await tx.SendResponseAsync(tx.CreateResponse(200));

        Assert.Equal(TransactionState.Terminated, tx.State);
        Assert.Equal(0, _h.Layer.Count);
    }

    [Fact]
    public async Task TransportErrorIsSurfaced()
    {
        var tx = ReceiveBye(TransactionHarness.Udp);
        _h.Transport.FailWhen = (_, _) => true;

        await Assert.ThrowsAsync<SipTransportException>(() => tx.SendResponseAsync(tx.CreateResponse(200)));
        Assert.Equal(TransactionTerminationReason.TransportError, tx.TerminationReason);
        Assert.Equal(0, _h.Layer.Count);
    }
}
