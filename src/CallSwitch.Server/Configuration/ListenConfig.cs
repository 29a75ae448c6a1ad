using System.Net;
using CallSwitch.Sip.Transport;

namespace CallSwitch.Server.Configuration;

/// <summary>One SIP listener: protocol, address and port (0 picks a free port).</summary>
public sealed record ListenConfig(SipProtocol Protocol, IPAddress Address, int Port);
