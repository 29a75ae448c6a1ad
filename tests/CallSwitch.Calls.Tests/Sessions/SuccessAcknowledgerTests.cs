using System.Net;
using System.Text;
using CallSwitch.Calls.Sessions;
using CallSwitch.Sip.Dialogs;
using CallSwitch.Sip.Messages;
using CallSwitch.Sip.Parsing;
using CallSwitch.Sip.Transactions;
using CallSwitch.Sip.Transport;
using CallSwitch.TestSupport;
using Microsoft.Extensions.Time.Testing;
using Serilog.Core;

namespace CallSwitch.Calls.Tests.Sessions;

/// <summary>
/// The ACK of an answer goes the moment the answer arrives, on the thread that received it
/// (RFC 3261 §13.2.2.4): not after a thread-pool continuation and the call's signalling lock,
/// which on a loaded machine came after the answerer had given up on it.
/// </summary>
public class SuccessAcknowledgerTests
{
    private static readonly SipMessageParser Parser = new();
    private static readonly SipFlow Trunk = new(SipProtocol.Udp, new IPEndPoint(IPAddress.Loopback, 5060), new IPEndPoint(IPAddress.Loopback, 5070));
    private readonly FakeSipTransport _transport = new();
    private readonly SipTransactionLayer _layer;

    public SuccessAcknowledgerTests() => _layer = new SipTransactionLayer(_transport, new NoUser(), new FakeTimeProvider());

    [Fact]
    public void TheCalleesAnswerEstablishesTheDialogAndIsAckedBeforeTheReceiveReturns()
    {
        SipRequest invite = Invite();
        var acknowledger = SuccessAcknowledger.ForNewDialog(_layer, Logger.None, invite, Trunk, "<sip:switch@127.0.0.1:5060>");
        Start(invite, acknowledger);

        Receive(Answer(invite, "<sip:callee@127.0.0.9:5080>"));

        SipRequest ack = Assert.Single(_transport.Requests(SipMethods.Ack));
        Assert.Equal("sip:callee@127.0.0.9:5080", ack.RequestUri.ToString());
        Assert.Equal((1u, SipMethods.Ack), (ack.CSeq!.Value.Number, ack.CSeq.Value.Method));
        Assert.Equal("trunk-tag", ack.To!.Tag);

        Dialog dialog = Assert.IsType<Dialog>(acknowledger.TakeDialog());
        Assert.Equal(DialogState.Confirmed, dialog.State);
        Assert.Equal("trunk-tag", dialog.Id.RemoteTag);
        Assert.Equal("<sip:switch@127.0.0.1:5060>", dialog.LocalContact);
        Assert.Null(acknowledger.TakeDialog()); // once

        // A retransmission of the answer gets the same ACK again.
        Receive(Answer(invite, "<sip:callee@127.0.0.9:5080>"));
        var acks = _transport.Requests(SipMethods.Ack);
        Assert.Equal(2, acks.Count);
        Assert.Equal(acks[0].TopVia!.Branch, acks[1].TopVia!.Branch);
    }

    [Fact]
    public void AReinvitesAnswerRefreshesTheTargetAndIsAckedThereBeforeTheReceiveReturns()
    {
        SipRequest invite = Invite();
        Dialog dialog = Dialog.CreateAsUac(invite, Answer(invite, "<sip:callee@127.0.0.9:5080>"), Trunk);
        dialog.LocalContact = "<sip:switch@127.0.0.1:5060>";
        SipRequest reinvite = dialog.CreateRequest(SipMethods.Invite);
        var acknowledger = SuccessAcknowledger.ForDialog(_layer, Logger.None, dialog, reinvite, Trunk);
        Start(reinvite, acknowledger);

        Receive(Answer(reinvite, "<sip:moved@127.0.0.9:5090>"));

        // §12.2.1.2: the 2xx to a target refresh request replaces the remote target, and the ACK goes there.
        SipRequest ack = Assert.Single(_transport.Requests(SipMethods.Ack));
        Assert.Equal("sip:moved@127.0.0.9:5090", ack.RequestUri.ToString());
        Assert.Equal(reinvite.CSeq!.Value.Number, ack.CSeq!.Value.Number);
        Assert.Equal("sip:moved@127.0.0.9:5090", dialog.RemoteTarget.ToString());
        Assert.Null(acknowledger.TakeDialog()); // the call has its dialog already
    }

    [Fact]
    public async Task ARefusalIsLeftToTheTransactionAndEstablishesNothing()
    {
        SipRequest invite = Invite();
        var acknowledger = SuccessAcknowledger.ForNewDialog(_layer, Logger.None, invite, Trunk, null);
        InviteClientTransaction transaction = Start(invite, acknowledger);

        Receive(SipResponseFactory.CreateResponse((SipRequest)_transport.Requests(SipMethods.Invite)[0], 486, null, "trunk-tag"));

        Assert.Equal(486, (await transaction.FinalResponse).StatusCode);
        SipRequest ack = Assert.Single(_transport.Requests(SipMethods.Ack)); // §17.1.1.3: the transaction's own ACK
        Assert.Equal(_transport.Requests(SipMethods.Invite)[0].TopVia!.Branch, ack.TopVia!.Branch);
        Assert.Null(acknowledger.TakeDialog());
    }

    private InviteClientTransaction Start(SipRequest invite, SuccessAcknowledger acknowledger)
    {
        var transaction = (InviteClientTransaction)_layer.CreateClientTransaction(invite, Trunk);
        acknowledger.Attach(transaction);
        transaction.Start();
        return transaction;
    }

    private void Receive(SipResponse response) => _layer.OnMessage(Parser.Parse(response.ToBytes()), Trunk);

    /// <summary>A 200 with SDP-less body to what the transport sent of <paramref name="request"/> (its Via, with the layer's branch).</summary>
    private SipResponse Answer(SipRequest request, string contact)
    {
        SipRequest sent = _transport.Requests(request.Method).LastOrDefault(r => r.CSeq!.Value.Number == request.CSeq!.Value.Number) ?? request;
        SipResponse response = SipResponseFactory.CreateResponse(sent, 200, null, "trunk-tag");
        response.Headers.Add(HeaderId.Contact, contact);
        return response;
    }

    private static SipRequest Invite() => (SipRequest)Parser.Parse(Encoding.UTF8.GetBytes(
        "INVITE sip:+33612345678@127.0.0.1:5070 SIP/2.0\r\n" +
        "Max-Forwards: 70\r\n" +
        "From: <sip:+33100000000@127.0.0.1>;tag=switch-tag\r\n" +
        "To: <sip:+33612345678@127.0.0.1>\r\n" +
        "Call-ID: ack-test@127.0.0.1\r\n" +
        "CSeq: 1 INVITE\r\n" +
        "Contact: <sip:switch@127.0.0.1:5060>\r\n" +
        "Content-Length: 0\r\n\r\n"));

    private sealed class NoUser : ISipTransactionUser
    {
        public void OnRequest(ServerTransaction transaction)
        {
        }

        public void OnCancel(InviteServerTransaction invite, SipRequest cancel)
        {
        }

        public void OnAck(SipRequest ack, SipFlow flow)
        {
        }

        public void OnStrayResponse(SipResponse response, SipFlow flow)
        {
        }
    }
}
