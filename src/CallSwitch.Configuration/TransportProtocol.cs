namespace CallSwitch.Configuration;

/// <summary>A SIP transport named in the configuration; the server maps it to the SIP stack's own type.</summary>
public enum TransportProtocol
{
    Udp,
    Tcp,
    Tls,
}
