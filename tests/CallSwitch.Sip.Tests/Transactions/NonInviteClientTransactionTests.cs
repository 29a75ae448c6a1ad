using CallSwitch.Sip.Transactions;
using CallSwitch.Sip.Transport;

namespace CallSwitch.Sip.Tests.Transactions;

public class NonInviteClientTransactionTests
{
    private readonly TransactionHarness _h = new();

    [Fact]
    public void TimerEDoublesUpToT2InTrying()
    {
        _h.StartClient(TransactionHarness.OutgoingRequest("OPTIONS"), TransactionHarness.Udp);

        // RFC 3261 §17.1.2.2: intervals 0.5, 1, 2, 4, 4, 4… seconds.
        int[] retransmitAtMs = [500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500];
        int now = 0;
        for (int i = 0; i < retransmitAtMs.Length; i++)
        {
            _h.AdvanceMs(retransmitAtMs[i] - 1 - now);
            Assert.Equal(i + 1, _h.Transport.Requests("OPTIONS").Count);
            _h.AdvanceMs(1);
            Assert.Equal(i + 2, _h.Transport.Requests("OPTIONS").Count);
            now = retransmitAtMs[i];
        }
    }

    [Theory]
    [InlineData(SipProtocol.Udp, 11)]
    [InlineData(SipProtocol.Tcp, 1)]
    public async Task TimerFTimesOut(SipProtocol protocol, int expectedSends)
    {
        var flow = protocol == SipProtocol.Udp ? TransactionHarness.Udp : TransactionHarness.Tcp;
        var tx = _h.StartClient(TransactionHarness.OutgoingRequest("BYE"), flow);

        _h.Advance(TimeSpan.FromSeconds(32));

        await Assert.ThrowsAsync<SipTransactionTimeoutException>(() => tx.FinalResponse);
        Assert.Equal(expectedSends, _h.Transport.Requests("BYE").Count);
        Assert.Equal(TransactionTerminationReason.Timeout, tx.TerminationReason);
        Assert.Equal(0, _h.Layer.Count);
    }

    [Fact]
    public void TimerEUsesT2InProceeding()
    {
        var request = TransactionHarness.OutgoingRequest("REGISTER");
        var tx = _h.StartClient(request, TransactionHarness.Udp);
        int provisionals = 0;
        tx.ProvisionalReceived += (_, _) => provisionals++;

        _h.AdvanceMs(100);
        _h.Receive(TransactionHarness.ResponseTo(request, 100, null), TransactionHarness.Udp);
        Assert.Equal(TransactionState.Proceeding, tx.State);
        Assert.Equal(1, provisionals);

        // The pending Timer E (0.5 s) still fires, then every T2 (4 s): 0.5, 4.5, 8.5 s.
        _h.AdvanceMs(400);
        Assert.Equal(2, _h.Transport.Requests("REGISTER").Count);
        _h.AdvanceMs(3999);
        Assert.Equal(2, _h.Transport.Requests("REGISTER").Count);
        _h.AdvanceMs(1);
        Assert.Equal(3, _h.Transport.Requests("REGISTER").Count);
        _h.AdvanceMs(4000);
        Assert.Equal(4, _h.Transport.Requests("REGISTER").Count);
    }

    [Fact]
    public async Task FinalCompletesAndTimerKAbsorbsRetransmissions()
    {
        var request = TransactionHarness.OutgoingRequest("BYE");
        var tx = _h.StartClient(request, TransactionHarness.Udp);
        var ok = TransactionHarness.ResponseTo(request, 200);

        _h.Receive(ok, TransactionHarness.Udp);
        _h.Receive(TransactionHarness.ResponseTo(request, 200), TransactionHarness.Udp);

        Assert.Same(ok, await tx.FinalResponse);
        Assert.Empty(_h.User.StrayResponses);
        _h.Advance(TimeSpan.FromSeconds(5) - TimeSpan.FromTicks(1));
        Assert.Equal(TransactionState.Completed, tx.State);
        Assert.Single(_h.Transport.Requests("BYE"));
        _h.Advance(TimeSpan.FromTicks(1));
        Assert.Equal(TransactionState.Terminated, tx.State);
        Assert.Equal(0, _h.Layer.Count);
    }

    [Fact]
    public async Task TimerKIsZeroOverTcp()
    {
        var request = TransactionHarness.OutgoingRequest("BYE");
        var tx = _h.StartClient(request, TransactionHarness.Tcp);

        _h.Receive(TransactionHarness.ResponseTo(request, 481), TransactionHarness.Tcp);

        Assert.Equal(481, (await tx.FinalResponse).StatusCode);
        Assert.Equal(TransactionState.Terminated, tx.State);
        Assert.Equal(TransactionTerminationReason.Normal, tx.TerminationReason);
        Assert.Equal(0, _h.Layer.Count);
    }

    [Fact]
    public async Task SendRequestRelaysProvisionals()
    {
        var request = TransactionHarness.OutgoingRequest("MESSAGE");
        var seen = new List<int>();
        var tx = _h.Layer.SendRequest(request, TransactionHarness.Udp, r => seen.Add(r.StatusCode));

        _h.Receive(TransactionHarness.ResponseTo(request, 100, null), TransactionHarness.Udp);
        _h.Receive(TransactionHarness.ResponseTo(request, 202), TransactionHarness.Udp);

        Assert.Equal([100], seen);
        Assert.Equal(202, (await tx.FinalResponse).StatusCode);
    }
}
