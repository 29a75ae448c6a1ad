namespace CallSwitch.Sip.Transport;

/// <summary>The transport protocols of SIP (RFC 3261 §18). TLS is reserved for a later transport.</summary>
public enum SipProtocol
{
    Udp,
    Tcp,
    Tls,
}
