using CallSwitch.Sip.Messages;
using CallSwitch.Sip.Transactions;
using CallSwitch.Sip.Transport;

namespace CallSwitch.Sip.Tests.Transactions;

public class InviteClientTransactionTests
{
    private readonly TransactionHarness _h = new();

    public static TheoryData<SipProtocol, int> TimerBCases => new()
    {
        // RFC 3261 §17.1.1.2: Timer A fires at 0.5, 1.5, 3.5, 7.5, 15.5, 31.5 s before Timer B at 32 s.
        { SipProtocol.Udp, 7 },
        { SipProtocol.Tcp, 1 },
    };

    [Theory]
    [MemberData(nameof(TimerBCases))]
    public async Task TimerARetransmitsOverUdpOnlyAndTimerBTimesOut(SipProtocol protocol, int expectedSends)
    {
        var flow = protocol == SipProtocol.Udp ? TransactionHarness.Udp : TransactionHarness.Tcp;
        var tx = _h.StartClient(TransactionHarness.OutgoingRequest("INVITE"), flow);

        _h.Advance(TimeSpan.FromMilliseconds(31_999));
        Assert.Equal(expectedSends, _h.Transport.Requests("INVITE").Count);
        Assert.Equal(TransactionState.Calling, tx.State);

        _h.AdvanceMs(1);
        await Assert.ThrowsAsync<SipTransactionTimeoutException>(() => tx.FinalResponse);
        Assert.Equal(TransactionState.Terminated, tx.State);
        Assert.Equal(TransactionTerminationReason.Timeout, tx.TerminationReason);
        Assert.Equal(expectedSends, _h.Transport.Requests("INVITE").Count);
        Assert.Equal(0, _h.Layer.Count);
    }

    [Fact]
    public void TimerAIntervalsDoubleWithoutCap()
    {
        _h.StartClient(TransactionHarness.OutgoingRequest("INVITE"), TransactionHarness.Udp);
        int[] retransmitAtMs = [500, 1500, 3500, 7500, 15500, 31500];
        int now = 0;
        for (int i = 0; i < retransmitAtMs.Length; i++)
        {
            _h.AdvanceMs(retransmitAtMs[i] - 1 - now);
            Assert.Equal(i + 1, _h.Transport.Requests("INVITE").Count);
            _h.AdvanceMs(1);
            Assert.Equal(i + 2, _h.Transport.Requests("INVITE").Count);
            now = retransmitAtMs[i];
        }
    }

    [Fact]
    public void LayerAddsMagicCookieBranchToTopVia()
    {
        var tx = _h.StartClient(TransactionHarness.OutgoingRequest("INVITE"), TransactionHarness.Udp);

        var sent = _h.Transport.Requests("INVITE").Single();
        Assert.StartsWith(ViaHeader.MagicCookie, sent.TopVia!.Branch);
        Assert.Equal(tx.Branch, sent.TopVia.Branch);
        Assert.Equal("10.0.0.1", sent.TopVia.Host);
        Assert.True(sent.TopVia.HasRPort);
    }

    [Fact]
    public void RequestWithoutViaGetsOneFromTheFlow()
    {
        var request = TransactionHarness.OutgoingRequest("OPTIONS");
        request.Headers.Remove(HeaderId.Via);
        request.InvalidateCaches();

        _h.StartClient(request, TransactionHarness.Tcp);

        var via = _h.Transport.Requests("OPTIONS").Single().TopVia!;
        Assert.Equal("TCP", via.Transport);
        Assert.Equal("10.0.0.1", via.Host);
        Assert.Equal(5060, via.Port);
        Assert.True(via.HasRfc3261Branch);
    }

    [Fact]
    public void ProvisionalStopsRetransmissionsAndIsRaised()
    {
        var request = TransactionHarness.OutgoingRequest("INVITE");
        var tx = _h.Layer.CreateClientTransaction(request, TransactionHarness.Udp);
        var provisionals = new List<int>();
        tx.ProvisionalReceived += (_, r) => provisionals.Add(r.StatusCode);
        tx.Start();

        _h.Receive(TransactionHarness.ResponseTo(request, 100, null), TransactionHarness.Udp);
        _h.Receive(TransactionHarness.ResponseTo(request, 180), TransactionHarness.Udp);
        _h.Advance(TimeSpan.FromSeconds(120));

        Assert.Equal([100, 180], provisionals);
        Assert.Single(_h.Transport.Requests("INVITE"));
        Assert.Equal(TransactionState.Proceeding, tx.State);
        Assert.False(tx.FinalResponse.IsCompleted);
    }

    [Theory]
    [InlineData(200)]
    [InlineData(486)]
    public async Task AfterTheFinalResponseTheTransactionNoLongerHoldsItsProvisionalHandler(int final)
    {
        // A transaction waits out Timer M (2xx) or D (non-2xx) for up to 32 s after its final
        // response: it must not keep the TU's call (what the handler reaches) alive that long.
        var request = TransactionHarness.OutgoingRequest("INVITE");
        var tx = _h.Layer.CreateClientTransaction(request, TransactionHarness.Udp);
        WeakReference owner = Subscribe(tx);
        tx.Start();
        _h.Receive(TransactionHarness.ResponseTo(request, 180), TransactionHarness.Udp);
        _h.Receive(TransactionHarness.ResponseTo(request, final, "remotetag"), TransactionHarness.Udp);
        Assert.Equal(final, (await tx.FinalResponse).StatusCode);

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        Assert.NotEqual(TransactionState.Terminated, tx.State);
        Assert.False(owner.IsAlive, "the provisional handler's target outlived the final response");
        GC.KeepAlive(tx);
    }

    private static WeakReference Subscribe(ClientTransaction tx)
    {
        var seen = new List<int>();
        tx.ProvisionalReceived += (_, r) => seen.Add(r.StatusCode);
        return new WeakReference(seen);
    }

    [Fact]
    public async Task NonSuccessFinalIsAckedByTheTransactionPerSection17113()
    {
        var request = TransactionHarness.OutgoingRequest("INVITE");
        var tx = _h.StartClient(request, TransactionHarness.Udp);
        _h.Receive(TransactionHarness.ResponseTo(request, 180), TransactionHarness.Udp);

        _h.Receive(TransactionHarness.ResponseTo(request, 486, "busytag"), TransactionHarness.Udp);

        Assert.Equal(486, (await tx.FinalResponse).StatusCode);
        var ack = _h.Transport.Requests("ACK").Single();
        Assert.Equal(request.RequestUri, ack.RequestUri);
        Assert.Single(ack.GetVias());
        Assert.Equal(tx.Branch, ack.TopVia!.Branch);
        Assert.Equal("busytag", ack.To!.Tag);
        Assert.Equal("ourtag", ack.From!.Tag);
        Assert.Equal(request.CallId, ack.CallId);
        Assert.Equal(new CSeqHeader(1, "ACK"), ack.CSeq);
        Assert.Equal(["<sip:proxy1.example.com;lr>", "<sip:proxy2.example.com;lr>"], ack.Headers.GetValues(HeaderId.Route));
        Assert.Equal(TransactionState.Completed, tx.State);
    }

    [Fact]
    public async Task RetransmittedFinalGetsTheAckAgainAndTimerDEndsTheTransaction()
    {
        var request = TransactionHarness.OutgoingRequest("INVITE");
        var tx = _h.StartClient(request, TransactionHarness.Udp);
        var busy = TransactionHarness.ResponseTo(request, 486);
        _h.Receive(busy, TransactionHarness.Udp);
        _h.Receive(TransactionHarness.ResponseTo(request, 486), TransactionHarness.Udp);
        _h.Receive(TransactionHarness.ResponseTo(request, 486), TransactionHarness.Udp);

        Assert.Equal(3, _h.Transport.Requests("ACK").Count);
        Assert.Same(busy, await tx.FinalResponse);

        _h.Advance(TimeSpan.FromSeconds(32) - TimeSpan.FromTicks(1));
        Assert.Equal(TransactionState.Completed, tx.State);
        _h.Advance(TimeSpan.FromTicks(1));
        Assert.Equal(TransactionState.Terminated, tx.State);
        Assert.Equal(TransactionTerminationReason.Normal, tx.TerminationReason);
        Assert.Equal(0, _h.Layer.Count);
    }

    [Fact]
    public async Task TimerDIsZeroOverTcp()
    {
        var request = TransactionHarness.OutgoingRequest("INVITE");
        var tx = _h.StartClient(request, TransactionHarness.Tcp);

        _h.Receive(TransactionHarness.ResponseTo(request, 603), TransactionHarness.Tcp);

        Assert.Single(_h.Transport.Requests("ACK"));
        Assert.Equal(TransactionState.Terminated, tx.State);
        Assert.Equal(603, (await tx.FinalResponse).StatusCode);
        Assert.Equal(0, _h.Layer.Count);
    }

    [Theory]
    [InlineData(SipProtocol.Udp)]
    [InlineData(SipProtocol.Tcp)]
    public async Task SuccessGoesToAcceptedAndEveryFurther2xxReachesTheTuUntilTimerM(SipProtocol protocol)
    {
        var flow = protocol == SipProtocol.Udp ? TransactionHarness.Udp : TransactionHarness.Tcp;
        var request = TransactionHarness.OutgoingRequest("INVITE");
        var tx = (InviteClientTransaction)_h.Layer.CreateClientTransaction(request, flow);
        var additional = new List<SipResponse>();
        tx.AdditionalSuccessResponse += additional.Add;
        tx.Start();

        _h.Receive(TransactionHarness.ResponseTo(request, 200), flow);
        Assert.Equal(200, (await tx.FinalResponse).StatusCode);
        Assert.Equal(TransactionState.Accepted, tx.State);
        Assert.Empty(_h.Transport.Requests("ACK"));

        // RFC 6026 §7.2: retransmissions and other forks' 2xx are passed up; non-2xx absorbed.
        _h.Receive(TransactionHarness.ResponseTo(request, 200), flow);
        _h.Receive(TransactionHarness.ResponseTo(request, 200, "fork2"), flow);
        _h.Receive(TransactionHarness.ResponseTo(request, 486, "fork3"), flow);
        Assert.Equal(["remotetag", "fork2"], additional.Select(r => r.To!.Tag));

        _h.Advance(TransactionHarness.Timers.SixtyFourT1 - TimeSpan.FromTicks(1));
        Assert.Equal(TransactionState.Accepted, tx.State);
        _h.Advance(TimeSpan.FromTicks(1));
        Assert.Equal(TransactionState.Terminated, tx.State);
        Assert.Equal(0, _h.Layer.Count);

        _h.Receive(TransactionHarness.ResponseTo(request, 200), flow);
        Assert.Single(_h.User.StrayResponses);
        Assert.Single(_h.Transport.Requests("INVITE"));
    }

    [Fact]
    public async Task TheFirst2xxIsRaisedOnceOnTheReceivingThreadBeforeTheFinalResponseCompletes()
    {
        var request = TransactionHarness.OutgoingRequest("INVITE");
        var tx = (InviteClientTransaction)_h.Layer.CreateClientTransaction(request, TransactionHarness.Udp);
        var answered = new List<(SipResponse Response, int Thread, bool FinalCompleted)>();
        tx.Answered += r => answered.Add((r, Environment.CurrentManagedThreadId, tx.FinalResponse.IsCompleted));
        tx.Start();

        _h.Receive(TransactionHarness.ResponseTo(request, 180), TransactionHarness.Udp);
        Assert.Empty(answered);
        _h.Receive(TransactionHarness.ResponseTo(request, 200), TransactionHarness.Udp);

        // Raised before Receive returned, on this (the "transport") thread, before the TU's await resumes.
        var (response, thread, finalCompleted) = Assert.Single(answered);
        Assert.Equal(200, response.StatusCode);
        Assert.Equal(Environment.CurrentManagedThreadId, thread);
        Assert.False(finalCompleted);
        Assert.Same(response, await tx.FinalResponse);

        _h.Receive(TransactionHarness.ResponseTo(request, 200), TransactionHarness.Udp); // a retransmission: AdditionalSuccessResponse's
        Assert.Single(answered);
    }

    [Fact]
    public async Task ARefusedInviteRaisesNoAnswerAndLetsGoOfTheHandler()
    {
        var request = TransactionHarness.OutgoingRequest("INVITE");
        var tx = (InviteClientTransaction)_h.Layer.CreateClientTransaction(request, TransactionHarness.Udp);
        int answered = 0;
        WeakReference handler = SubscribeAnswered(tx, () => answered++);
        tx.Start();

        _h.Receive(TransactionHarness.ResponseTo(request, 486), TransactionHarness.Udp);
        Assert.Equal(486, (await tx.FinalResponse).StatusCode);
        Assert.Equal(TransactionState.Completed, tx.State); // waits out Timer D (32 s over UDP)
        GC.Collect();
        GC.WaitForPendingFinalizers();
        Assert.False(handler.IsAlive, "the transaction waiting out Timer D still holds its Answered handler");
        Assert.Equal(0, answered);
        GC.KeepAlive(tx);
    }

    private static WeakReference SubscribeAnswered(InviteClientTransaction tx, Action onAnswered)
    {
        var holder = new AnswerHolder(onAnswered);
        tx.Answered += holder.OnAnswered;
        return new WeakReference(holder);
    }

    private sealed class AnswerHolder(Action onAnswered)
    {
        public void OnAnswered(SipResponse response) => onAnswered();
    }

    [Fact]
    public async Task TransportErrorFaultsTheFinalResponseAndEndsTheTransaction()
    {
        _h.Transport.FailWhen = (_, _) => true;
        var tx = _h.StartClient(TransactionHarness.OutgoingRequest("INVITE"), TransactionHarness.Udp);

        await Assert.ThrowsAsync<SipTransportException>(() => tx.FinalResponse);
        Assert.Equal(TransactionTerminationReason.TransportError, tx.TerminationReason);
        Assert.IsType<SipTransportException>(tx.Error);
        Assert.Equal(0, _h.Layer.Count);
    }

    [Fact]
    public async Task TransportErrorOnRetransmissionIsSurfaced()
    {
        var tx = _h.StartClient(TransactionHarness.OutgoingRequest("INVITE"), TransactionHarness.Udp);
        var terminated = new List<TransactionTerminationReason>();
        tx.Terminated += t => terminated.Add(t.TerminationReason);
        _h.Transport.FailWhen = (_, _) => true;

        _h.AdvanceMs(500);

        await Assert.ThrowsAsync<SipTransportException>(() => tx.FinalResponse);
        Assert.Equal([TransactionTerminationReason.TransportError], terminated);
        Assert.Equal(0, _h.Layer.Count);
    }

    [Fact]
    public void AckIsRefusedAsClientTransaction() =>
        Assert.Throws<ArgumentException>(() => _h.Layer.CreateClientTransaction(TransactionHarness.OutgoingRequest("ACK"), TransactionHarness.Udp));

    [Fact]
    public async Task SendAckAsyncGivesTheAckANewBranch()
    {
        var request = TransactionHarness.OutgoingRequest("INVITE");
        var tx = _h.StartClient(request, TransactionHarness.Udp);
        var ack = TransactionHarness.OutgoingRequest("ACK");
        ack.Headers.Set(HeaderId.Via, request.Headers.GetValues(HeaderId.Via)[0]);
        ack.InvalidateCaches();

        await _h.Layer.SendAckAsync(ack, TransactionHarness.Udp);

        var sent = _h.Transport.Requests("ACK").Single();
        Assert.True(sent.TopVia!.HasRfc3261Branch);
        Assert.NotEqual(tx.Branch, sent.TopVia.Branch);
    }

    [Fact]
    public async Task ResendAckAsyncSendsTheSameAckAgainAndRefusesAnythingElse()
    {
        var ack = TransactionHarness.OutgoingRequest("ACK");
        await _h.Layer.SendAckAsync(ack, TransactionHarness.Udp);
        await _h.Layer.ResendAckAsync(ack, TransactionHarness.Udp);

        var sent = _h.Transport.Requests("ACK").ToList();
        Assert.Equal(2, sent.Count);
        Assert.Equal(sent[0].TopVia!.Branch, sent[1].TopVia!.Branch);
        await Assert.ThrowsAsync<ArgumentException>(() => _h.Layer.ResendAckAsync(TransactionHarness.OutgoingRequest("BYE"), TransactionHarness.Udp));
        await Assert.ThrowsAsync<ArgumentException>(() => _h.Layer.ResendAckAsync(TransactionHarness.OutgoingRequest("ACK"), TransactionHarness.Udp)); // never sent: no branch
    }
}
