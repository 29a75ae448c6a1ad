using System.Text;
using CallSwitch.Sip.Dialogs;
using CallSwitch.Sip.Messages;
using CallSwitch.Sip.Parsing;
using CallSwitch.Sip.Transactions;

namespace CallSwitch.Sip.Tests.Dialogs;

public class DialogTests
{
    private static readonly SipMessageParser Parser = new();

    private const string InviteFromAlice =
        "INVITE sip:bob@switch.example.com SIP/2.0\n" +
        "Via: SIP/2.0/UDP p2.example.com;branch=z9hG4bKp2\n" +
        "Via: SIP/2.0/UDP pc.alice.example.com;branch=z9hG4bKa1\n" +
        "Record-Route: <sip:p2.example.com;lr>\n" +
        "Record-Route: <sip:p1.example.com;lr>\n" +
        "Max-Forwards: 69\n" +
        "From: \"Alice\" <sip:alice@example.com>;tag=alicetag\n" +
        "To: <sip:bob@switch.example.com>\n" +
        "Call-ID: dlg-1@pc.alice.example.com\n" +
        "CSeq: 10 INVITE\n" +
        "Contact: <sip:alice@pc.alice.example.com>\n" +
        "Content-Length: 0\n\n";

    private static T Parse<T>(string text)
        where T : SipMessage => (T)Parser.Parse(Encoding.UTF8.GetBytes(text.ReplaceLineEndings("\r\n")));

    private static SipRequest OurInvite()
    {
        var invite = new SipRequest(SipMethods.Invite, "sip:carol@carrier.example.net");
        invite.Headers.Add(HeaderId.Via, "SIP/2.0/UDP switch.example.com;branch=z9hG4bKs1");
        invite.Headers.Add(HeaderId.From, "<sip:switch@switch.example.com>;tag=ourtag");
        invite.Headers.Add(HeaderId.To, "<sip:carol@carrier.example.net>");
        invite.Headers.Add(HeaderId.CallId, "out-1@switch.example.com");
        invite.Headers.Add(HeaderId.CSeq, "100 INVITE");
        invite.Headers.Add(HeaderId.Authorization, "Digest username=\"switch\", realm=\"carrier\"");
        return invite;
    }

    private static SipResponse CarrierResponse(SipRequest invite, int status, string contact = "<sip:carol@10.9.9.9:5070>", params string[] recordRoutes)
    {
        var response = SipResponseFactory.CreateResponse(invite, status, null, "carroltag");
        foreach (string rr in recordRoutes)
        {
            response.Headers.Add(HeaderId.RecordRoute, rr);
        }

        response.Headers.Add(HeaderId.Contact, contact);
        return Parse<SipResponse>(response.ToString());
    }

    [Fact]
    public void UacDialogFrom2xxReversesTheRecordRoute()
    {
        var invite = OurInvite();
        var ok = CarrierResponse(invite, 200, recordRoutes: ["<sip:edge2.carrier.example.net;lr>", "<sip:edge1.example.com;lr>"]);

        var dialog = Dialog.CreateAsUac(invite, ok);

        Assert.Equal(new DialogId("out-1@switch.example.com", "ourtag", "carroltag"), dialog.Id);
        Assert.True(dialog.IsUac);
        Assert.Equal(DialogState.Confirmed, dialog.State);
        Assert.Equal(["sip:edge1.example.com;lr", "sip:edge2.carrier.example.net;lr"], dialog.RouteSet.Select(r => r.Uri.ToString()));
        Assert.Equal("sip:carol@10.9.9.9:5070", dialog.RemoteTarget.ToString());
        Assert.Equal(100u, dialog.LocalSequence);
        Assert.Null(dialog.RemoteSequence);
        Assert.Null(dialog.LocalUri.Tag);
        Assert.Equal("sip:carol@carrier.example.net", dialog.RemoteUri.Uri.ToString());
        Assert.False(dialog.IsSecure);
    }

    [Fact]
    public void UasDialogKeepsTheRecordRouteOrder()
    {
        var invite = Parse<SipRequest>(InviteFromAlice);
        var ringing = SipResponseFactory.CreateResponse(invite, 180, null, "bobtag");

        var dialog = Dialog.CreateAsUas(invite, ringing);

        Assert.Equal(new DialogId("dlg-1@pc.alice.example.com", "bobtag", "alicetag"), dialog.Id);
        Assert.False(dialog.IsUac);
        Assert.Equal(DialogState.Early, dialog.State);
        Assert.Equal(["sip:p2.example.com;lr", "sip:p1.example.com;lr"], dialog.RouteSet.Select(r => r.Uri.ToString()));
        Assert.Equal("sip:alice@pc.alice.example.com", dialog.RemoteTarget.ToString());
        Assert.Equal(10u, dialog.RemoteSequence);
        Assert.Null(dialog.LocalSequence);
        Assert.Equal("Alice", dialog.RemoteUri.DisplayName);

        dialog.Confirm();
        Assert.Equal(DialogState.Confirmed, dialog.State);
    }

    [Fact]
    public void SipsOverTlsIsSecure()
    {
        var invite = Parse<SipRequest>(InviteFromAlice.Replace("INVITE sip:bob@", "INVITE sips:bob@"));
        var ok = SipResponseFactory.CreateResponse(invite, 200, null, "bobtag");
        var tls = Transactions.TransactionHarness.Udp with { Protocol = Sip.Transport.SipProtocol.Tls };

        Assert.True(Dialog.CreateAsUas(invite, ok, tls).IsSecure);
        Assert.False(Dialog.CreateAsUas(invite, ok, Transactions.TransactionHarness.Udp).IsSecure);
    }

    [Fact]
    public void ProvisionalWithoutTagCreatesNoDialog()
    {
        var invite = OurInvite();
        var built = SipResponseFactory.CreateResponse(invite, 180);
        built.Headers.Set(HeaderId.To, invite.Headers[HeaderId.To]!);
        var trying = Parse<SipResponse>(built.ToString());

        Assert.Throws<ArgumentException>(() => Dialog.CreateAsUac(invite, trying));
    }

    [Fact]
    public void EarlyDialogIsConfirmedBy2xxAndItsRouteSetRecomputed()
    {
        var invite = OurInvite();
        var early = Dialog.CreateAsUac(invite, CarrierResponse(invite, 183, recordRoutes: ["<sip:old.example.com;lr>"]));
        Assert.Equal(DialogState.Early, early.State);

        early.ProcessResponse(invite, CarrierResponse(invite, 200, "<sip:carol@10.9.9.10>", "<sip:b.example.com;lr>", "<sip:a.example.com;lr>"));

        Assert.Equal(DialogState.Confirmed, early.State);
        Assert.Equal(["sip:a.example.com;lr", "sip:b.example.com;lr"], early.RouteSet.Select(r => r.Uri.ToString()));
        Assert.Equal("sip:carol@10.9.9.10", early.RemoteTarget.ToString());
    }

    [Fact]
    public void InDialogRequestWithLooseRoutes()
    {
        var invite = OurInvite();
        var dialog = Dialog.CreateAsUac(invite, CarrierResponse(invite, 200, recordRoutes: ["<sip:edge2.example.net;lr>", "<sip:edge1.example.com;lr>"]));

        var bye = dialog.CreateRequest(SipMethods.Bye);
        var wire = Parse<SipRequest>(bye.ToString().Replace("Max-Forwards", "Via: SIP/2.0/UDP x;branch=z9hG4bKx\r\nMax-Forwards"));

        // RFC 3261 §12.2.1.1: loose routing keeps the remote target as Request-URI.
        Assert.Equal("sip:carol@10.9.9.9:5070", wire.RequestUri);
        Assert.Equal(["<sip:edge1.example.com;lr>", "<sip:edge2.example.net;lr>"], wire.Headers.GetValues(HeaderId.Route));
        Assert.Equal(new CSeqHeader(101, "BYE"), wire.CSeq);
        Assert.Equal("ourtag", wire.From!.Tag);
        Assert.Equal("carroltag", wire.To!.Tag);
        Assert.Equal("out-1@switch.example.com", wire.CallId);
        Assert.Equal(70, wire.MaxForwards);
        Assert.False(wire.Headers.Contains(HeaderId.Contact));
        Assert.Equal(101u, dialog.LocalSequence);

        Assert.Equal(new CSeqHeader(102, "INFO"), dialog.CreateRequest(SipMethods.Info).CSeq);
    }

    [Fact]
    public void InDialogRequestWithStrictFirstRoute()
    {
        var invite = OurInvite();
        var dialog = Dialog.CreateAsUac(invite, CarrierResponse(invite, 200, recordRoutes: ["<sip:loose.example.net;lr>", "<sip:strict.example.com;maddr=10.1.1.1>"]));
        dialog.LocalContact = "<sip:switch@10.0.0.1:5060>";

        var reinvite = dialog.CreateRequest(SipMethods.Invite);

        // RFC 3261 §12.2.1.1: the strict router becomes the Request-URI, the remote target the last Route.
        Assert.Equal("sip:strict.example.com;maddr=10.1.1.1", reinvite.RequestUri);
        Assert.Equal(["<sip:loose.example.net;lr>", "<sip:carol@10.9.9.9:5070>"], reinvite.Headers.GetValues(HeaderId.Route));
        Assert.Equal("<sip:switch@10.0.0.1:5060>", reinvite.Headers[HeaderId.Contact]);
    }

    [Fact]
    public void NoRouteSetMeansNoRouteHeader()
    {
        var invite = OurInvite();
        var dialog = Dialog.CreateAsUac(invite, CarrierResponse(invite, 200));

        var bye = dialog.CreateRequest(SipMethods.Bye);

        Assert.Equal("sip:carol@10.9.9.9:5070", bye.RequestUri);
        Assert.False(bye.Headers.Contains(HeaderId.Route));
    }

    [Fact]
    public void AckFor2xxUsesTheInviteCSeqAndCredentials()
    {
        var invite = OurInvite();
        var dialog = Dialog.CreateAsUac(invite, CarrierResponse(invite, 200, recordRoutes: ["<sip:edge.example.com;lr>"]));

        var ack = dialog.CreateAck(invite);

        Assert.Equal(new CSeqHeader(100, "ACK"), ack.CSeq);
        Assert.Equal("sip:carol@10.9.9.9:5070", ack.RequestUri);
        Assert.Equal(["<sip:edge.example.com;lr>"], ack.Headers.GetValues(HeaderId.Route));
        Assert.Equal(invite.Headers[HeaderId.Authorization], ack.Headers[HeaderId.Authorization]);
        Assert.Equal(100u, dialog.LocalSequence);
    }

    public static TheoryData<uint, bool> CSeqCases => new()
    {
        { 9, false },
        { 10, true },
        { 11, true },
        { 5000, true },
    };

    [Theory]
    [MemberData(nameof(CSeqCases))]
    public void RequestsLowerThanTheRemoteSequenceAreRejected(uint cseq, bool accepted)
    {
        var invite = Parse<SipRequest>(InviteFromAlice);
        var dialog = Dialog.CreateAsUas(invite, SipResponseFactory.CreateResponse(invite, 200, null, "bobtag"));
        var request = Parse<SipRequest>(InviteFromAlice.Replace("INVITE sip", "INFO sip").Replace("10 INVITE", cseq + " INFO"));

        Assert.Equal(accepted, dialog.TryProcessRequest(request));
        Assert.Equal(accepted ? cseq : 10u, dialog.RemoteSequence);
    }

    [Fact]
    public void ReInviteRefreshesTheRemoteTargetButByeDoesNot()
    {
        var invite = Parse<SipRequest>(InviteFromAlice);
        var dialog = Dialog.CreateAsUas(invite, SipResponseFactory.CreateResponse(invite, 200, null, "bobtag"));

        var bye = Parse<SipRequest>(InviteFromAlice.Replace("INVITE sip", "BYE sip").Replace("10 INVITE", "11 BYE").Replace("pc.alice.example.com>", "other.example.com>"));
        Assert.True(dialog.TryProcessRequest(bye));
        Assert.Equal("sip:alice@pc.alice.example.com", dialog.RemoteTarget.ToString());

        var reinvite = Parse<SipRequest>(InviteFromAlice.Replace("10 INVITE", "12 INVITE").Replace("<sip:alice@pc.alice.example.com>", "<sip:alice@192.0.2.7:5080>"));
        Assert.True(dialog.TryProcessRequest(reinvite));
        Assert.Equal("sip:alice@192.0.2.7:5080", dialog.RemoteTarget.ToString());

        // ACK carries the INVITE's CSeq and is always accepted.
        var ack = Parse<SipRequest>(InviteFromAlice.Replace("INVITE sip", "ACK sip").Replace("10 INVITE", "12 ACK"));
        Assert.True(dialog.TryProcessRequest(ack));
    }

    [Fact]
    public void TwoHundredToUpdateRefreshesTargetAnd481Terminates()
    {
        var invite = OurInvite();
        var dialog = Dialog.CreateAsUac(invite, CarrierResponse(invite, 200));
        var update = dialog.CreateRequest(SipMethods.Update);

        dialog.ProcessResponse(update, CarrierResponse(update, 200, "<sip:carol@10.9.9.11>"));
        Assert.Equal("sip:carol@10.9.9.11", dialog.RemoteTarget.ToString());

        var info = dialog.CreateRequest(SipMethods.Info);
        dialog.ProcessResponse(info, CarrierResponse(info, 481));
        Assert.Equal(DialogState.Terminated, dialog.State);
        Assert.Throws<InvalidOperationException>(() => dialog.CreateRequest(SipMethods.Bye));
    }

    [Fact]
    public void UasWithEmptyLocalSequenceStartsBelow2Pow31()
    {
        var invite = Parse<SipRequest>(InviteFromAlice);
        var dialog = Dialog.CreateAsUas(invite, SipResponseFactory.CreateResponse(invite, 200, null, "bobtag"));

        var bye = dialog.CreateRequest(SipMethods.Bye);

        uint n = bye.CSeq!.Value.Number;
        Assert.InRange(n, 1u, CSeqHeader.MaxNumber);
        Assert.Equal("bobtag", bye.From!.Tag);
        Assert.Equal("alicetag", bye.To!.Tag);
        Assert.Equal("sip:alice@pc.alice.example.com", bye.RequestUri);
        Assert.Equal(["<sip:p2.example.com;lr>", "<sip:p1.example.com;lr>"], bye.Headers.GetValues(HeaderId.Route));
    }
}
