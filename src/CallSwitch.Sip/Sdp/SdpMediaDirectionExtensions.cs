namespace CallSwitch.Sip.Sdp;

/// <summary>Conversions and RFC 3264 rules for <see cref="SdpMediaDirection"/>.</summary>
public static class SdpMediaDirectionExtensions
{
    /// <summary>The attribute name (<c>sendrecv</c>, <c>sendonly</c>, <c>recvonly</c>, <c>inactive</c>).</summary>
    public static string ToAttributeName(this SdpMediaDirection direction) => direction switch
    {
        SdpMediaDirection.SendOnly => "sendonly",
        SdpMediaDirection.ReceiveOnly => "recvonly",
        SdpMediaDirection.Inactive => "inactive",
        _ => "sendrecv",
    };

    /// <summary>Maps an attribute name to a direction; false for any other attribute.</summary>
    public static bool TryParse(string attributeName, out SdpMediaDirection direction)
    {
        switch (attributeName.ToLowerInvariant())
        {
            case "sendrecv":
                direction = SdpMediaDirection.SendReceive;
                return true;
            case "sendonly":
                direction = SdpMediaDirection.SendOnly;
                return true;
            case "recvonly":
                direction = SdpMediaDirection.ReceiveOnly;
                return true;
            case "inactive":
                direction = SdpMediaDirection.Inactive;
                return true;
            default:
                direction = SdpMediaDirection.SendReceive;
                return false;
        }
    }

    /// <summary>True when the writer of the description will send media.</summary>
    public static bool CanSend(this SdpMediaDirection direction) =>
        direction is SdpMediaDirection.SendReceive or SdpMediaDirection.SendOnly;

    /// <summary>True when the writer of the description will receive media.</summary>
    public static bool CanReceive(this SdpMediaDirection direction) =>
        direction is SdpMediaDirection.SendReceive or SdpMediaDirection.ReceiveOnly;

    /// <summary>The same stream seen from the other party: sendonly becomes recvonly and the reverse.</summary>
    public static SdpMediaDirection Reverse(this SdpMediaDirection direction) => direction switch
    {
        SdpMediaDirection.SendOnly => SdpMediaDirection.ReceiveOnly,
        SdpMediaDirection.ReceiveOnly => SdpMediaDirection.SendOnly,
        _ => direction,
    };

    /// <summary>Builds a direction from what the party will send and receive.</summary>
    public static SdpMediaDirection FromCapabilities(bool send, bool receive) => (send, receive) switch
    {
        (true, true) => SdpMediaDirection.SendReceive,
        (true, false) => SdpMediaDirection.SendOnly,
        (false, true) => SdpMediaDirection.ReceiveOnly,
        _ => SdpMediaDirection.Inactive,
    };

    /// <summary>
    /// The direction an answerer writes (RFC 3264 §6.1): it may send only if the offerer receives and it
    /// wants to send; it may receive only if the offerer sends and it wants to receive. So an offered
    /// sendonly is answered recvonly, recvonly with sendonly, inactive with inactive.
    /// </summary>
    /// <param name="offered">Direction in the offer, from the offerer's point of view.</param>
    /// <param name="wanted">What the answerer itself would like.</param>
    public static SdpMediaDirection AnswerTo(this SdpMediaDirection offered, SdpMediaDirection wanted) =>
        FromCapabilities(offered.CanReceive() && wanted.CanSend(), offered.CanSend() && wanted.CanReceive());
}
