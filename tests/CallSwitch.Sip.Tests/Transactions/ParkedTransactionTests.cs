using System.Runtime.CompilerServices;
using CallSwitch.Sip.Messages;
using CallSwitch.Sip.Transactions;

namespace CallSwitch.Sip.Tests.Transactions;

/// <summary>
/// A server transaction in its terminal wait stands in the table as a <c>ParkedServerTransaction</c>,
/// an answered INVITE client transaction as a <c>ParkedInviteClientTransaction</c>:
/// the transaction itself is collectable once its TU let it go, while what the wait must still do
/// is done.
/// </summary>
public class ParkedTransactionTests
{
    private readonly TransactionHarness _h = new();

    [Fact]
    public void AnsweredByeLetGoByItsTuIsCollectedYetItsRetransmissionsGetTheAnswerUntilTimerJ()
    {
        WeakReference<ServerTransaction> transaction = AnswerAndLetGo("BYE", 200);
        Collect();

        Assert.False(transaction.TryGetTarget(out _), "the waiting transaction is still reachable");
        Assert.Equal(1, _h.Layer.Count);
        _h.Receive(TransactionHarness.IncomingRequest("BYE", toTag: "ourtag"), TransactionHarness.Udp);
        _h.Receive(TransactionHarness.IncomingRequest("BYE", toTag: "ourtag"), TransactionHarness.Udp);
        Assert.Equal(3, _h.Transport.Responses(200).Count);
        Assert.Empty(_h.User.Requests);

        _h.Advance(TransactionHarness.Timers.SixtyFourT1 - TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, _h.Layer.Count);
        _h.AdvanceMs(1);
        Assert.Equal(0, _h.Layer.Count);

        // The wait over, the same request is a new one for the TU.
        _h.Receive(TransactionHarness.IncomingRequest("BYE", toTag: "ourtag"), TransactionHarness.Udp);
        Assert.Single(_h.User.Requests);
    }

    [Fact]
    public void AcceptedInviteLetGoByItsTuIsCollectedYetAbsorbsTheInvitePassesTheAckAndAnswersACancelUntilTimerL()
    {
        WeakReference<ServerTransaction> transaction = AnswerAndLetGo("INVITE", 200);
        Collect();

        Assert.False(transaction.TryGetTarget(out _), "the waiting transaction is still reachable");
        _h.Receive(TransactionHarness.IncomingRequest("INVITE"), TransactionHarness.Udp);
        Assert.Single(_h.Transport.Responses(200));
        Assert.Empty(_h.User.Requests);

        // RFC 6026 §7.1: an ACK that matches goes to the TU.
        _h.Receive(TransactionHarness.IncomingRequest("ACK", toTag: LocalTag, cseqMethod: "ACK"), TransactionHarness.Udp);
        Assert.Single(_h.User.Acks);

        // RFC 3261 §9.2: a CANCEL after the final response has no effect but a 200 with the INVITE's To tag.
        _h.Receive(TransactionHarness.IncomingRequest("CANCEL"), TransactionHarness.Udp);
        var cancelled = Assert.Single(_h.Transport.Responses(200), r => r.CSeq?.Method == "CANCEL");
        Assert.Equal(LocalTag, cancelled.To?.Tag);
        Assert.Empty(_h.User.Cancels);

        _h.Advance(TransactionHarness.Timers.SixtyFourT1);
        Assert.Equal(0, _h.Layer.Count);
    }

    [Fact]
    public async Task ATransactionStillHeldWhenItsWaitEndsIsTerminatedAsBefore()
    {
        _h.Receive(TransactionHarness.IncomingRequest("BYE", toTag: "ourtag"), TransactionHarness.Udp);
        Assert.True(_h.User.Requests.TryDequeue(out var transaction));
        await transaction.SendResponseAsync(transaction.CreateResponse(200));
        var ended = new List<TransactionTerminationReason>();
        transaction.Terminated += t => ended.Add(t.TerminationReason);

        Assert.Equal(TransactionState.Completed, transaction.State);
        _h.Advance(TransactionHarness.Timers.SixtyFourT1);

        Assert.Equal(TransactionState.Terminated, transaction.State);
        Assert.Equal([TransactionTerminationReason.Normal], ended);
        Assert.Equal(0, _h.Layer.Count);
    }

    [Fact]
    public void AnsweredInviteLetGoByItsTuIsCollectedYetEveryFurther2xxReachesTheHandlersUntilTimerM()
    {
        var additional = new List<string?>();
        SipRequest invite = TransactionHarness.OutgoingRequest("INVITE");
        WeakReference<ClientTransaction> transaction = SendAnsweredAndLetGo(invite, r => additional.Add(r.To?.Tag));
        Collect();

        Assert.False(transaction.TryGetTarget(out _), "the waiting transaction is still reachable");
        _h.Receive(TransactionHarness.ResponseTo(invite, 200), TransactionHarness.Udp);
        _h.Receive(TransactionHarness.ResponseTo(invite, 200, "fork2"), TransactionHarness.Udp);
        _h.Receive(TransactionHarness.ResponseTo(invite, 486, "fork3"), TransactionHarness.Udp);
        Assert.Equal(["remotetag", "fork2"], additional);
        Assert.Empty(_h.User.StrayResponses);

        _h.Advance(TransactionHarness.Timers.SixtyFourT1);
        Assert.Equal(0, _h.Layer.Count);
        _h.Receive(TransactionHarness.ResponseTo(invite, 200), TransactionHarness.Udp);
        Assert.Single(_h.User.StrayResponses);
    }

    private string? LocalTag => _h.Transport.Responses(200)[0].To?.Tag;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private WeakReference<ServerTransaction> AnswerAndLetGo(string method, int status)
    {
        _h.Receive(TransactionHarness.IncomingRequest(method, toTag: method == "BYE" ? "ourtag" : null), TransactionHarness.Udp);
        Assert.True(_h.User.Requests.TryDequeue(out var transaction));
        Task sent = transaction.SendResponseAsync(transaction.CreateResponse(status));
        Assert.True(sent.IsCompletedSuccessfully);
        return new WeakReference<ServerTransaction>(transaction);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private WeakReference<ClientTransaction> SendAnsweredAndLetGo(SipRequest invite, Action<SipResponse> additional)
    {
        var transaction = (InviteClientTransaction)_h.Layer.CreateClientTransaction(invite, TransactionHarness.Udp);
        transaction.AdditionalSuccessResponse += additional;
        transaction.Start();
        _h.Receive(TransactionHarness.ResponseTo(invite, 200), TransactionHarness.Udp);
        Assert.Equal(TransactionState.Accepted, transaction.State);
        Assert.Equal(200, transaction.FinalResponse.Result.StatusCode);
        return new WeakReference<ClientTransaction>(transaction);
    }

    private static void Collect()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }
}
