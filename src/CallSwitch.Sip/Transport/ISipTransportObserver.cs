using CallSwitch.Sip.Messages;

namespace CallSwitch.Sip.Transport;

/// <summary>
/// Hooks for tracing and logging what a <see cref="SipTransportLayer"/> does (the server adapts
/// them to its logger). Every method has an empty default, so an observer implements only what it
/// needs. Methods are called on channel or sender threads and must not throw or block.
/// </summary>
public interface ISipTransportObserver
{
    /// <summary>A message was received and accepted, before the handler sees it.</summary>
    void OnMessageReceived(SipMessage message, SipFlow flow)
    {
    }

    /// <summary>A message was handed to its channel.</summary>
    void OnMessageSent(SipMessage message, SipFlow flow)
    {
    }

    /// <summary>
    /// Received bytes were refused: malformed, missing mandatory headers or unframeable.
    /// <paramref name="data"/> is only valid during the call (empty for framing errors).
    /// </summary>
    void OnMessageDropped(SipFlow flow, string reason, ReadOnlyMemory<byte> data)
    {
    }

    /// <summary>A send failed; the exception is also thrown to the sender.</summary>
    void OnSendFailed(SipMessage message, SipFlow flow, SipTransportException error)
    {
    }

    /// <summary>The <see cref="ISipMessageHandler"/> threw; the message is lost, the transport goes on.</summary>
    void OnHandlerFailed(SipMessage message, SipFlow flow, Exception error)
    {
    }
}
