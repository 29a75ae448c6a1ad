using CallSwitch.Sip.Messages;
using CallSwitch.Sip.Transport;

namespace CallSwitch.TestSupport;

/// <summary>One message recorded by <see cref="FakeSipTransport"/>: parsed back from its bytes, with its flow.</summary>
public sealed record SentMessage(SipMessage Message, SipFlow Flow, byte[] Bytes);
