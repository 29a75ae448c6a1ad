using System.Net.Sockets;
using CallSwitch.Calls.Media;
using CallSwitch.Sip.Dialogs;
using CallSwitch.Sip.Messages;
using CallSwitch.Sip.Sdp;
using CallSwitch.Sip.Transactions;
using CallSwitch.Sip.Transport;
using Serilog;

namespace CallSwitch.Calls.Sessions;

/// <summary>
/// One side of a B2BUA call: its party, its dialog once established, the flow its in-dialog
/// requests go on, and its own offer/answer state. Owned by <see cref="B2buaCall"/>, which
/// serialises every change under its signalling lock.
/// </summary>
internal sealed class CallLeg
{
    /// <summary>The codecs the switch serves on any leg.</summary>
    public static readonly IReadOnlyList<AudioCodec> Served = [AudioCodec.Pcmu, AudioCodec.Pcma, AudioCodec.G722, AudioCodec.TelephoneEvent];

    public CallLeg(CallParty party, SipFlow flow, SdpAudioNegotiator negotiator, string contact)
    {
        Party = party;
        Flow = flow;
        Negotiator = negotiator;
        Contact = contact;
    }

    public CallParty Party { get; }

    /// <summary>Where this leg's requests go: the caller's own flow (its NAT binding or TCP connection), or the callee's address.</summary>
    public SipFlow Flow { get; set; }

    public SdpAudioNegotiator Negotiator { get; }

    /// <summary>Our Contact on this leg.</summary>
    public string Contact { get; }

    public Dialog? Dialog { get; set; }

    /// <summary>The direction the peer last asked for (hold is sendonly, inactive or c=0.0.0.0).</summary>
    public SdpMediaDirection PeerDirection { get; set; } = SdpMediaDirection.SendReceive;

    public bool IsOnHold => PeerDirection is SdpMediaDirection.SendOnly or SdpMediaDirection.Inactive;

    /// <summary>A leg of <paramref name="party"/> on <paramref name="flow"/>: our SDP names the relay's port for that party, our Contact the listener of the flow's protocol.</summary>
    public static CallLeg Create(CallContext context, CallMedia media, CallParty party, SipFlow flow, IReadOnlyList<AudioCodec> codecs)
    {
        SdpAudioNegotiator negotiator = NegotiatorFor(context, media.LocalPort(party), codecs);
        return new CallLeg(party, flow, negotiator, ContactFor(context, flow));
    }

    /// <summary>Our Contact for a dialog on <paramref name="flow"/>: the listener of the flow's protocol.</summary>
    public static string ContactFor(CallContext context, SipFlow flow)
    {
        var listener = context.Listener(flow.Protocol);
        string host = listener.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{listener.Address}]" : listener.Address.ToString();
        string transport = flow.Protocol == SipProtocol.Udp ? string.Empty : ";transport=" + flow.Protocol.ToString().ToLowerInvariant();
        return $"<sip:callswitch@{host}:{listener.Port}{transport}>";
    }

    /// <summary>The negotiator of a leg whose media is at <paramref name="rtpPort"/>, serving <paramref name="codecs"/> (those of them the switch serves).</summary>
    public static SdpAudioNegotiator NegotiatorFor(CallContext context, int rtpPort, IReadOnlyList<AudioCodec> codecs) =>
        new(new SdpAudioNegotiatorOptions(context.MediaAddress, rtpPort)
        {
            Codecs = codecs.Where(c => c.IsTelephoneEvent || Served.Contains(c)).ToArray(),
            RtcpMux = false,
            UserName = "callswitch",
            SessionName = "CallSwitch",
        });

    /// <summary>
    /// Takes the SDP answer in <paramref name="response"/> to our offer and sets the leg's media
    /// from it; true when the leg has negotiated media (from this answer or an earlier one).
    /// </summary>
    public bool TryTakeAnswer(SipResponse response, CallMedia media)
    {
        if (!SessionDescription.TryParse(response.Body.Span, out var sdp, out _) ||
            !Negotiator.TryProcessAnswer(sdp!, out var audio, out _))
        {
            return media.Negotiated(Party) is not null;
        }

        PeerDirection = audio!.RemoteDirection;
        media.Configure(Party, audio);
        return true;
    }

    /// <summary>Ends the leg's dialog with a BYE (a reason header when no RTP came); waits for its answer or timeout.</summary>
    public async Task SendByeAsync(SipTransactionLayer transactions, CallEnd reason, ILogger log)
    {
        SipRequest bye = Dialog!.CreateRequest(SipMethods.Bye);
        bye.Headers.Add(HeaderId.MaxForwards, "70");
        if (reason == CallEnd.RtpTimeout)
        {
            bye.Headers.Add(HeaderId.Reason, "SIP;cause=408;text=\"No RTP\"");
        }

        try
        {
            ClientTransaction transaction = transactions.SendRequest(bye, Flow);
            await transaction.FinalResponse.ConfigureAwait(false);
        }
        catch (Exception e) when (e is SipTransactionTimeoutException or SipTransportException)
        {
            log.Information("BYE to the {Party} got no answer: {Error}", Party, e.Message);
        }

        Dialog.Terminate();
    }
}
