using CallSwitch.Sip.Transactions;

namespace CallSwitch.Sip.Tests.Transactions;

public class TransactionMatchingTests
{
    private readonly TransactionHarness _h = new();

    [Fact]
    public void ResponseWithUnknownBranchIsStray()
    {
        var request = TransactionHarness.OutgoingRequest("OPTIONS");
        var tx = _h.StartClient(request, TransactionHarness.Udp);
        var response = TransactionHarness.ResponseTo(request, 200);
        response.Headers.Set(Sip.Messages.HeaderId.Via, "SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKother");
        response.InvalidateCaches();

        _h.Receive(response, TransactionHarness.Udp);

        Assert.Single(_h.User.StrayResponses);
        Assert.Equal(TransactionState.Trying, tx.State);
    }

    [Fact]
    public void ResponseMatchesByBranchAndCSeqMethod()
    {
        var request = TransactionHarness.OutgoingRequest("OPTIONS");
        var tx = _h.StartClient(request, TransactionHarness.Udp);
        var wrongMethod = TransactionHarness.ResponseTo(request, 200);
        wrongMethod.Headers.Set(Sip.Messages.HeaderId.CSeq, "1 INFO");
        wrongMethod.InvalidateCaches();

        _h.Receive(wrongMethod, TransactionHarness.Udp);

        Assert.Single(_h.User.StrayResponses);
        Assert.False(tx.FinalResponse.IsCompleted);
    }

    [Fact]
    public void SameBranchFromAnotherSentByIsAnotherTransaction()
    {
        _h.Receive(TransactionHarness.IncomingRequest("OPTIONS", sentBy: "10.0.0.2:5060"), TransactionHarness.Udp);
        _h.Receive(TransactionHarness.IncomingRequest("OPTIONS", sentBy: "10.0.0.3:5060"), TransactionHarness.Udp);
        _h.Receive(TransactionHarness.IncomingRequest("OPTIONS", sentBy: "10.0.0.2:5060"), TransactionHarness.Udp);

        Assert.Equal(2, _h.User.Requests.Count);
        Assert.Equal(2, _h.Layer.Count);
    }

    [Fact]
    public void SameBranchWithAnotherMethodIsAnotherTransaction()
    {
        _h.Receive(TransactionHarness.IncomingRequest("INFO"), TransactionHarness.Udp);
        _h.Receive(TransactionHarness.IncomingRequest("OPTIONS"), TransactionHarness.Udp);

        Assert.Equal(2, _h.User.Requests.Count);
    }

    [Fact]
    public void AckWithItsOwnBranchGoesToTheTu()
    {
        _h.Receive(TransactionHarness.IncomingRequest("ACK", branch: "z9hG4bKack2xx", toTag: "x"), TransactionHarness.Udp);

        Assert.Single(_h.User.Acks);
        Assert.Empty(_h.User.Requests);
        Assert.Equal(0, _h.Layer.Count);
    }

    [Fact]
    public void RequestWhoseCSeqMethodDiffersIsDropped()
    {
        _h.Receive(TransactionHarness.IncomingRequest("BYE", cseqMethod: "INVITE"), TransactionHarness.Udp);

        Assert.Empty(_h.User.Requests);
        Assert.Equal(0, _h.Layer.Count);
    }

    [Fact]
    public async Task Rfc2543RequestsMatchWithoutTheMagicCookie()
    {
        const string OldBranch = "1234abcd";
        _h.Receive(TransactionHarness.IncomingRequest("INVITE", branch: OldBranch), TransactionHarness.Udp);
        var tx = Assert.IsType<InviteServerTransaction>(Assert.Single(_h.User.Requests));
        await tx.SendResponseAsync(tx.CreateResponse(486));

        // The retransmission matches on Request-URI, Call-ID, From tag, CSeq number and top Via.
        _h.Receive(TransactionHarness.IncomingRequest("INVITE", branch: OldBranch), TransactionHarness.Udp);
        Assert.Single(_h.User.Requests);
        Assert.Equal(2, _h.Transport.Responses(486).Count);

        // Another CSeq is another transaction.
        _h.Receive(TransactionHarness.IncomingRequest("INVITE", branch: OldBranch, cseq: 2), TransactionHarness.Udp);
        Assert.Equal(2, _h.User.Requests.Count);

        // The ACK (with the To tag of our response) matches the first INVITE.
        _h.Receive(TransactionHarness.IncomingRequest("ACK", branch: OldBranch, toTag: tx.LocalTag), TransactionHarness.Udp);
        Assert.Equal(TransactionState.Confirmed, tx.State);
        Assert.Empty(_h.User.Acks);
    }

    [Fact]
    public void Rfc2543CancelMatchesTheInvite()
    {
        _h.Receive(TransactionHarness.IncomingRequest("INVITE", branch: "oldstyle"), TransactionHarness.Udp);

        _h.Receive(TransactionHarness.IncomingRequest("CANCEL", branch: "oldstyle"), TransactionHarness.Udp);

        Assert.Single(_h.User.Cancels);
        Assert.Single(_h.Transport.Responses(200));
    }

    [Fact]
    public void ConcurrentCopiesOfOneRequestCreateOneTransaction()
    {
        var copies = Enumerable.Range(0, 64).Select(_ => TransactionHarness.IncomingRequest("INVITE")).ToArray();

        Parallel.ForEach(copies, copy => _h.Receive(copy, TransactionHarness.Udp));

        Assert.Single(_h.User.Requests);
        Assert.Equal(1, _h.Layer.Count);
    }

    [Fact]
    public void CallbackExceptionsAreReportedNotThrown()
    {
        _h.User.OnRequestHandler = _ => throw new InvalidOperationException("TU bug");

        _h.Receive(TransactionHarness.IncomingRequest("OPTIONS"), TransactionHarness.Udp);

        Assert.IsType<InvalidOperationException>(Assert.Single(_h.CallbackErrors));
    }

    [Fact]
    public async Task TableIsEmptyAfterAMixOfTransactionsRunOut()
    {
        for (int i = 0; i < 5; i++)
        {
            var request = TransactionHarness.OutgoingRequest(i % 2 == 0 ? "INVITE" : "OPTIONS", cseq: (uint)(i + 1));
            _h.StartClient(request, TransactionHarness.Udp);
            _h.Receive(TransactionHarness.IncomingRequest(i % 2 == 0 ? "INVITE" : "INFO", branch: "z9hG4bKin" + i), TransactionHarness.Udp);
        }

        foreach (var tx in _h.User.Requests)
        {
            await tx.SendResponseAsync(tx.CreateResponse(tx.Method == "INVITE" ? 200 : 404));
        }

        Assert.Equal(10, _h.Layer.Count);
        _h.Advance(TimeSpan.FromSeconds(70));
        Assert.Equal(0, _h.Layer.Count);
        Assert.Empty(_h.CallbackErrors);
    }
}
