using CallSwitch.Sip.Messages;

namespace CallSwitch.Sip.Transport;

/// <summary>
/// What the transaction layer sees of the transports: it sends messages on flows. The
/// implementation serialises the message and hands it to the channel of the flow's protocol
/// and local end point.
/// </summary>
public interface ISipTransport
{
    /// <summary>
    /// Sends a message on a flow. Fails with <see cref="SipTransportException"/> when it cannot
    /// be sent (RFC 3261 §17.1.4: the transaction layer reports a transport error to its user).
    /// </summary>
    ValueTask SendAsync(SipMessage message, SipFlow flow, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sends a response to a request received on <paramref name="requestFlow"/>, routed by the
    /// response's top Via (RFC 3261 §18.2.2, RFC 3581 §4; see <see cref="SipRouting.GetResponseFlow"/>).
    /// The default implementation computes that flow and calls <see cref="SendAsync"/>.
    /// </summary>
    ValueTask SendResponseAsync(SipResponse response, SipFlow requestFlow, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(response);
        ViaHeader? via = response.TopVia;
        return SendAsync(response, via is null ? requestFlow : SipRouting.GetResponseFlow(via, requestFlow), cancellationToken);
    }
}
