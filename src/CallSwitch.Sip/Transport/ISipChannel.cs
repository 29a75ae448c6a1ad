using System.Net;

namespace CallSwitch.Sip.Transport;

/// <summary>
/// One listening socket (or in-memory end point) that moves whole SIP messages as bytes. A
/// channel knows nothing of SIP beyond framing: it hands each received message to its
/// <see cref="ISipChannelReceiver"/> and sends bytes to a remote end point.
/// </summary>
public interface ISipChannel : IAsyncDisposable
{
    /// <summary>The protocol.</summary>
    SipProtocol Protocol { get; }

    /// <summary>The local end point it listens on (the real port when 0 was asked).</summary>
    IPEndPoint LocalEndPoint { get; }

    /// <summary>Starts receiving; each received message goes to <paramref name="receiver"/> on a channel thread.</summary>
    void Start(ISipChannelReceiver receiver);

    /// <summary>
    /// Sends one whole message. The channel copies what it needs before the returned task
    /// completes; for a stream it reuses an open connection to <paramref name="remote"/> or opens one.
    /// Fails with <see cref="SipTransportException"/> when the message cannot be sent.
    /// </summary>
    ValueTask SendAsync(IPEndPoint remote, ReadOnlyMemory<byte> message, CancellationToken cancellationToken = default);
}
