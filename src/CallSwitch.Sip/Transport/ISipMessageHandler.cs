using CallSwitch.Sip.Messages;

namespace CallSwitch.Sip.Transport;

/// <summary>Takes the messages a <see cref="SipTransportLayer"/> received and accepted; the transaction layer implements it.</summary>
public interface ISipMessageHandler
{
    /// <summary>
    /// One parsed, well-formed message with the flow it came on. Called on a channel thread:
    /// calls for different flows may run at once, calls for one TCP connection or one UDP channel
    /// come in order. The handler owns <paramref name="message"/> (and the bytes it was parsed
    /// from); it should return quickly, since the channel reads nothing more meanwhile. The top
    /// Via of a request already carries <c>received</c> and <c>rport</c> (RFC 3261 §18.2.1, RFC 3581).
    /// </summary>
    void OnMessage(SipMessage message, SipFlow flow);
}
