namespace CallSwitch.Sip.Sdp;

/// <summary>
/// Stream direction attributes (RFC 4566 §6, RFC 3264 §5.1), always from the point of view of the
/// party that wrote the description.
/// </summary>
public enum SdpMediaDirection
{
    /// <summary><c>a=sendrecv</c>, the default when no direction attribute is present.</summary>
    SendReceive,

    /// <summary><c>a=sendonly</c>: the writer will only send (a party putting the call on hold).</summary>
    SendOnly,

    /// <summary><c>a=recvonly</c>: the writer will only receive.</summary>
    ReceiveOnly,

    /// <summary><c>a=inactive</c>: no media either way.</summary>
    Inactive,
}
