using CallSwitch.Sip.Transactions;

namespace CallSwitch.Sip.Tests.Transactions;

public class ServerCancelTests
{
    private readonly TransactionHarness _h = new();

    [Fact]
    public async Task CancelIsAnswered200AndTheTuSends487()
    {
        _h.User.OnRequestHandler = tx => _ = tx.SendResponseAsync(tx.CreateResponse(180));
        _h.Receive(TransactionHarness.IncomingRequest("INVITE"), TransactionHarness.Udp);
        var invite = Assert.IsType<InviteServerTransaction>(Assert.Single(_h.User.Requests));

        _h.Receive(TransactionHarness.IncomingRequest("CANCEL"), TransactionHarness.Udp);

        // RFC 3261 §9.2: 200 for the CANCEL, with the To tag of the INVITE's responses.
        var ok = _h.Transport.Responses(200).Single();
        Assert.Equal("CANCEL", ok.CSeq!.Value.Method);
        Assert.Equal(invite.LocalTag, ok.To!.Tag);
        var (cancelled, cancel) = Assert.Single(_h.User.Cancels);
        Assert.Same(invite, cancelled);
        Assert.Equal("CANCEL", cancel.Method);
        Assert.True(invite.IsCancelled);
        Assert.Single(_h.User.Requests);

        await invite.SendResponseAsync(invite.CreateResponse(487));
        _h.Receive(TransactionHarness.IncomingRequest("ACK", toTag: invite.LocalTag), TransactionHarness.Udp);
        Assert.Equal(TransactionState.Confirmed, invite.State);

        // A retransmitted CANCEL gets the 200 again without telling the TU twice.
        _h.Receive(TransactionHarness.IncomingRequest("CANCEL"), TransactionHarness.Udp);
        Assert.Equal(2, _h.Transport.Responses(200).Count);
        Assert.Single(_h.User.Cancels);

        _h.Advance(TimeSpan.FromSeconds(40));
        Assert.Equal(0, _h.Layer.Count);
    }

    [Fact]
    public void UnknownCancelGets481()
    {
        _h.Receive(TransactionHarness.IncomingRequest("CANCEL"), TransactionHarness.Udp);

        Assert.Single(_h.Transport.Responses(481));
        Assert.Empty(_h.User.Cancels);
        Assert.Empty(_h.User.Requests);
    }

    [Fact]
    public async Task CancelAfterTheFinalResponseIsAnsweredButHasNoEffect()
    {
        _h.Receive(TransactionHarness.IncomingRequest("INVITE"), TransactionHarness.Udp);
        var invite = Assert.IsType<InviteServerTransaction>(Assert.Single(_h.User.Requests));
        await invite.SendResponseAsync(invite.CreateResponse(200));

        _h.Receive(TransactionHarness.IncomingRequest("CANCEL"), TransactionHarness.Udp);

        Assert.Equal(2, _h.Transport.Responses(200).Count);
        Assert.Empty(_h.User.Cancels);
        Assert.False(invite.IsCancelled);
    }
}
