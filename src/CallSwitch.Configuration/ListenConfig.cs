using System.Net;

namespace CallSwitch.Configuration;

/// <summary>One SIP listener: protocol, address and port (0 picks a free port).</summary>
public sealed record ListenConfig(TransportProtocol Protocol, IPAddress Address, int Port);
