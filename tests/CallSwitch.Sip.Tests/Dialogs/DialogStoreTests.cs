using System.Text;
using CallSwitch.Sip.Dialogs;
using CallSwitch.Sip.Messages;
using CallSwitch.Sip.Parsing;
using CallSwitch.Sip.Transactions;

namespace CallSwitch.Sip.Tests.Dialogs;

public class DialogStoreTests
{
    private static readonly SipMessageParser Parser = new();

    private static SipRequest Request(string method, string callId, string fromTag, string? toTag, uint cseq = 1) =>
        (SipRequest)Parser.Parse(Encoding.UTF8.GetBytes(
            $"{method} sip:bob@10.0.0.1 SIP/2.0\r\n" +
            "Via: SIP/2.0/UDP 10.0.0.2;branch=z9hG4bK" + callId + cseq + "\r\n" +
            $"From: <sip:alice@10.0.0.2>;tag={fromTag}\r\n" +
            $"To: <sip:bob@10.0.0.1>{(toTag is null ? string.Empty : ";tag=" + toTag)}\r\n" +
            $"Call-ID: {callId}\r\n" +
            $"CSeq: {cseq} {method}\r\n" +
            "Contact: <sip:alice@10.0.0.2>\r\n" +
            "Content-Length: 0\r\n\r\n"));

    [Fact]
    public void FindsDialogsForIncomingRequestsAndResponses()
    {
        var store = new DialogStore();
        var invite = Request("INVITE", "c1", "alicetag", null);
        var dialog = Dialog.CreateAsUas(invite, SipResponseFactory.CreateResponse(invite, 200, null, "bobtag"));
        Assert.True(store.TryAdd(dialog));
        Assert.False(store.TryAdd(dialog));

        Assert.Same(dialog, store.FindForRequest(Request("BYE", "c1", "alicetag", "bobtag", 2)));
        Assert.Null(store.FindForRequest(Request("BYE", "c1", "alicetag", "othertag", 2)));
        Assert.Null(store.FindForRequest(Request("BYE", "c2", "alicetag", "bobtag", 2)));

        var ourBye = dialog.CreateRequest(SipMethods.Bye);
        ourBye.Headers.AddFirst(HeaderId.Via, "SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKb");
        var ok = SipResponseFactory.CreateResponse(ourBye, 200);
        Assert.Same(dialog, store.FindForResponse(ok));
        Assert.True(store.TryGet(dialog.Id, out _));

        Assert.True(store.Remove(dialog));
        Assert.Equal(DialogState.Terminated, dialog.State);
        Assert.Equal(0, store.Count);
    }

    [Fact]
    public void ForkedEarlyDialogsAreDistinct()
    {
        var store = new DialogStore();
        var invite = new SipRequest(SipMethods.Invite, "sip:carol@example.net");
        invite.Headers.Add(HeaderId.Via, "SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKf");
        invite.Headers.Add(HeaderId.From, "<sip:switch@10.0.0.1>;tag=ours");
        invite.Headers.Add(HeaderId.To, "<sip:carol@example.net>");
        invite.Headers.Add(HeaderId.CallId, "fork-1");
        invite.Headers.Add(HeaderId.CSeq, "1 INVITE");

        foreach (string tag in new[] { "a", "b" })
        {
            var ringing = SipResponseFactory.CreateResponse(invite, 180, null, tag);
            ringing.Headers.Add(HeaderId.Contact, $"<sip:{tag}@10.0.0.9>");
            Assert.True(store.TryAdd(Dialog.CreateAsUac(invite, (SipResponse)Parser.Parse(ringing.ToBytes()))));
        }

        Assert.Equal(2, store.Count);
        Assert.True(store.TryGet(new DialogId("fork-1", "ours", "b"), out var b));
        Assert.Equal("sip:b@10.0.0.9", b.RemoteTarget.ToString());
    }

    [Fact]
    public void ConcurrentAddsAndLookupsAreSafe()
    {
        var store = new DialogStore();
        Parallel.For(0, 200, i =>
        {
            var invite = Request("INVITE", "call" + i, "from" + i, null);
            var dialog = Dialog.CreateAsUas(invite, SipResponseFactory.CreateResponse(invite, 200, null, "to" + i));
            Assert.True(store.TryAdd(dialog));
            Assert.Same(dialog, store.FindForRequest(Request("BYE", "call" + i, "from" + i, "to" + i, 2)));
        });

        Assert.Equal(200, store.Count);
    }
}
