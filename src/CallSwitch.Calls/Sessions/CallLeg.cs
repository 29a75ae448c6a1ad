using CallSwitch.Calls.Media;
using CallSwitch.Sip.Dialogs;
using CallSwitch.Sip.Messages;
using CallSwitch.Sip.Sdp;
using CallSwitch.Sip.Transport;

namespace CallSwitch.Calls.Sessions;

/// <summary>
/// One side of a B2BUA call: its party, its dialog once established, the flow its in-dialog
/// requests go on, and its own offer/answer state. Owned by <see cref="B2buaCall"/>, which
/// serialises every change under its signalling lock.
/// </summary>
internal sealed class CallLeg
{
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
}
