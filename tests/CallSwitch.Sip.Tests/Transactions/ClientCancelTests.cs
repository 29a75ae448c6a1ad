using CallSwitch.Sip.Messages;
using CallSwitch.Sip.Transactions;

namespace CallSwitch.Sip.Tests.Transactions;

public class ClientCancelTests
{
    private readonly TransactionHarness _h = new();

    [Fact]
    public async Task CancelWaitsForAProvisionalThenCopiesTheInviteFields()
    {
        var invite = TransactionHarness.OutgoingRequest("INVITE", cseq: 7);
        var tx = (InviteClientTransaction)_h.StartClient(invite, TransactionHarness.Udp);

        var cancelTask = tx.CancelAsync("SIP;cause=487");
        Assert.Empty(_h.Transport.Requests("CANCEL"));
        Assert.False(cancelTask.IsCompleted);

        _h.Receive(TransactionHarness.ResponseTo(invite, 180), TransactionHarness.Udp);

        // RFC 3261 §9.1.
        var cancel = _h.Transport.Requests("CANCEL").Single();
        Assert.Equal(invite.RequestUri, cancel.RequestUri);
        Assert.Single(cancel.GetVias());
        Assert.Equal(tx.Branch, cancel.TopVia!.Branch);
        Assert.Equal(new CSeqHeader(7, "CANCEL"), cancel.CSeq);
        Assert.Equal(invite.CallId, cancel.CallId);
        Assert.Equal("ourtag", cancel.From!.Tag);
        Assert.Null(cancel.To!.Tag);
        Assert.Equal(["<sip:proxy1.example.com;lr>", "<sip:proxy2.example.com;lr>"], cancel.Headers.GetValues(HeaderId.Route));
        Assert.Equal("SIP;cause=487", cancel.Headers[HeaderId.Reason]);
        Assert.Equal(2, _h.Layer.Count);

        // The 200 for CANCEL matches the CANCEL transaction (same branch, other method).
        _h.Receive(TransactionHarness.ResponseTo(cancel, 200), TransactionHarness.Udp);
        Assert.Equal(200, (await cancelTask)!.StatusCode);
        Assert.Equal(TransactionState.Proceeding, tx.State);

        _h.Receive(TransactionHarness.ResponseTo(invite, 487), TransactionHarness.Udp);
        Assert.Equal(487, (await tx.FinalResponse).StatusCode);
        Assert.Single(_h.Transport.Requests("ACK"));

        _h.Advance(TimeSpan.FromSeconds(40));
        Assert.Equal(0, _h.Layer.Count);
    }

    [Fact]
    public async Task CancelAfterTheFinalResponseSendsNothing()
    {
        var invite = TransactionHarness.OutgoingRequest("INVITE");
        var tx = (InviteClientTransaction)_h.StartClient(invite, TransactionHarness.Udp);
        _h.Receive(TransactionHarness.ResponseTo(invite, 200), TransactionHarness.Udp);

        Assert.Null(await tx.CancelAsync());
        Assert.Empty(_h.Transport.Requests("CANCEL"));
    }

    [Fact]
    public async Task PendingCancelIsDroppedWhenTheFinalComesFirst()
    {
        var invite = TransactionHarness.OutgoingRequest("INVITE");
        var tx = (InviteClientTransaction)_h.StartClient(invite, TransactionHarness.Udp);
        var cancelTask = tx.CancelAsync();

        _h.Receive(TransactionHarness.ResponseTo(invite, 404), TransactionHarness.Udp);

        Assert.Null(await cancelTask);
        Assert.Empty(_h.Transport.Requests("CANCEL"));
    }

    [Fact]
    public async Task CancelledInviteWithoutFinalIsGivenUpAfter64T1()
    {
        var invite = TransactionHarness.OutgoingRequest("INVITE");
        var tx = (InviteClientTransaction)_h.StartClient(invite, TransactionHarness.Tcp);
        _h.Receive(TransactionHarness.ResponseTo(invite, 183), TransactionHarness.Tcp);
        var cancelTask = tx.CancelAsync();
        var cancel = _h.Transport.Requests("CANCEL").Single();
        _h.Receive(TransactionHarness.ResponseTo(cancel, 200), TransactionHarness.Tcp);
        Assert.Equal(200, (await cancelTask)!.StatusCode);

        _h.Advance(TransactionHarness.Timers.SixtyFourT1);

        await Assert.ThrowsAsync<SipTransactionTimeoutException>(() => tx.FinalResponse);
        Assert.Equal(0, _h.Layer.Count);
    }
}
